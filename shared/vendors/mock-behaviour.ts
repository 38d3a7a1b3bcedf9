import type { AttributeRule as MockAttributeRule, VendorBehaviour as MockVendorBehaviour } from '../scim/vendor-behaviour.ts';
import type { VendorProfile } from './profile-schema.ts';
import { cite } from './rule-support.ts';
import { unlistedTargetRule } from './rules.ts';

/** The top-level SCIM attribute (or extension URN) an Entra target name writes to. */
function topLevelAttribute(target: string): string {
  if (target.toLowerCase().startsWith('urn:')) return target.slice(0, target.lastIndexOf(':'));
  return target.split(/[.[]/)[0]!;
}

/**
 * A vendor profile as mock-server behaviour: the server then answers like the vendor would (rejecting what
 * the profile says the vendor rejects). Only what the profile states is emulated; where the guide is silent
 * the server stays lenient, like a generic SCIM service.
 */
export function toMockBehaviour(profile: VendorProfile): MockVendorBehaviour {
  const unlisted = profile.unlistedTargets;
  const rejectsUnlisted = unlisted.some((rule) => rule.kind === 'unsupported' && rule.severity === 'error' && rule.match === '.*');
  const restrictsUnlisted = unlisted.some((rule) => rule.kind !== 'allowed' && rule.match === '.*');
  const behaviour: MockVendorBehaviour = {
    id: profile.id,
    name: profile.name,
    unsupportedAttributes: rejectsUnlisted ? 'reject' : 'ignore',
    customExtensions: profile.attributes.some((a) => a.custom) ? 'store' : unlisted.some((r) => r.match.startsWith('^urn:') && r.severity === 'error') ? 'reject' : 'store',
    userAttributes: profile.attributes
      .filter((a) => !/\{[^}]+\}/.test(a.target))
      .filter((a) => a.required || a.format || a.allowedValues || a.unique)
      .map((a) => {
        const rule: MockAttributeRule = { path: a.target };
        if (a.required) rule.required = true;
        if (a.format) rule.format = typeof a.format === 'string' ? a.format : { pattern: a.format.pattern };
        if (a.allowedValues) {
          rule.allowedValues = [...a.allowedValues];
          rule.caseSensitive = a.caseSensitive;
        }
        if (a.unique) rule.unique = true;
        return rule;
      }),
    deactivation: profile.features.deprovision.value === 'delete' ? 'delete' : 'deactivate',
    groups: profile.features.groups.value === 'supported' ? 'supported' : profile.features.groups.value === 'unsupported' ? 'reject' : 'ignore',
    // Entra queries groups by displayName and needs it unique (Microsoft Learn "Develop a SCIM endpoint for user
    // provisioning", "Group operations").
    uniqueGroupDisplayName: true,
    validationError: { status: 400, scimType: 'invalidValue' },
  };
  if (profile.groupNames) behaviour.forbiddenGroupNameCharacters = [...profile.groupNames.forbiddenCharacters];
  if (!rejectsUnlisted) {
    // The server drops what the guide warns about but never says the API refuses; the log names the preview's rule.
    behaviour.lenientRuleFor = (target) => {
      const unlisted = unlistedTargetRule(profile, target);
      return unlisted ? { code: unlisted.code, message: `${unlisted.rule.reason} ${cite(profile, unlisted.rule.cite)}` } : null;
    };
  }
  if (restrictsUnlisted) {
    const listed = new Set<string>();
    for (const attribute of profile.attributes) listed.add(topLevelAttribute(attribute.target));
    for (const row of [...profile.recommendedMappings.add, ...profile.recommendedMappings.keep]) listed.add(topLevelAttribute(row.target));
    behaviour.supportedAttributes = [...listed];
  }
  const filterable = profile.features.filterableAttributes.value;
  if (filterable) behaviour.filterableUserAttributes = filterable.map((name) => name.toLowerCase());
  const rate = profile.rateLimits.requestsPerSecond;
  if (rate !== null) behaviour.rateLimit = { requestsPerSecond: rate, burst: Math.max(1, Math.ceil(rate)) };
  return behaviour;
}
