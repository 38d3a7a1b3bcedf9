/**
 * A certificate authority for tests, standing in for the root a TLS-inspecting corporate proxy installs:
 * a self-signed CA and server certificates it signs for given host names. The CA's PEM goes to
 * NODE_EXTRA_CA_CERTS; servers present the leaf. node:crypto cannot issue X.509 certificates, so node-forge
 * (already installed with selfsigned, which the mock server's --tls uses) signs them; keys come from node:crypto.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCa {
  /** the CA certificate (PEM), what NODE_EXTRA_CA_CERTS points at */
  readonly certPem: string;
  /** a server certificate for these host names (or IPv4 addresses), signed by this CA */
  issue(hostNames: readonly string[]): { key: string; cert: string };
}

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    pem,
    privateKey: forge.pki.privateKeyFromPem(pem),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function validity(cert: forge.pki.Certificate): void {
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
}

export function createTestCa(name = 'SCIM Planner Test Inspection CA'): TestCa {
  const caKeys = rsaKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  validity(ca);
  const caSubject = [{ name: 'commonName', value: name }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    certPem: forge.pki.certificateToPem(ca),
    issue(hostNames) {
      const keys = rsaKeys();
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = keys.publicKey;
      validity(leaf);
      leaf.setSubject([{ name: 'commonName', value: hostNames[0] ?? 'localhost' }]);
      leaf.setIssuer(caSubject);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          // type 7 is an IP address, type 2 a DNS name (RFC 5280 §4.2.1.6)
          altNames: hostNames.map((name) => (/^[\d.]+$/.test(name) ? { type: 7, ip: name } : { type: 2, value: name })),
        },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ]);
      leaf.sign(caKeys.privateKey, forge.md.sha256.create());
      return { key: keys.pem, cert: forge.pki.certificateToPem(leaf) };
    },
  };
}
