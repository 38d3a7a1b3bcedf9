// What each part of the project needs from Node.js, said once for `npm start` and the README:
// development, the CLI and browser mode run on 20.19+; Electron 45's toolchain (electron-builder,
// @electron/rebuild through node-abi) asks for 22.12+.
export const NODE_FOR_APP = [20, 19];
export const NODE_FOR_ELECTRON_TOOLCHAIN = [22, 12];

const atLeast = ([major, minor], [wantMajor, wantMinor]) => major > wantMajor || (major === wantMajor && minor >= wantMinor);

/** One line for the terminal: the Node.js found and what it can run here. */
export function describeNodeSupport(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const found = [major, minor];
  const app = `${NODE_FOR_APP.join('.')}+`;
  const electron = `${NODE_FOR_ELECTRON_TOOLCHAIN.join('.')}+`;
  if (!atLeast(found, NODE_FOR_APP)) {
    return { ok: false, electronToolchain: false, line: `Node.js ${version} found: SCIM Planner needs ${app} (development and browser mode) and ${electron} for the desktop build.` };
  }
  if (!atLeast(found, NODE_FOR_ELECTRON_TOOLCHAIN)) {
    return { ok: true, electronToolchain: false, line: `Node.js ${version} found: development, the CLI and browser mode are supported (${app}); the Electron toolchain wants ${electron}, so its packages warn EBADENGINE and the desktop build may fail.` };
  }
  return { ok: true, electronToolchain: true, line: `Node.js ${version} found: everything is supported, the Electron toolchain included (${electron}).` };
}
