import type { SourceObject } from '../directory/source-object.ts';
import { findObjectMapping, sourceExpressionOf, type MappingSet } from '../mapping/model.ts';
import { attributeRuleFor, describeCitations, type VendorProfile } from '../vendors/index.ts';
import type { VendorTicketReport } from './model.ts';

/**
 * The part of a report a vendor's support team asks for by name. Only some guides ask for something:
 * Thrive maps extra fields by hand from a ticket (its "SCIM Provisioning" guide, "Additional custom field mappings"),
 * HiThrive's custom attributes must exist with exact names (its Entra guide's attribute table), and Hector associates
 * provisioned groups with its roles ("6. Hector – Role/Group Association"). Other vendors get no section.
 */

function unlistedKind(profile: VendorProfile, target: string) {
  return profile.unlistedTargets.find((rule) => new RegExp(rule.match, 'i').test(target));
}

/** The short name Thrive's mapping keys on: the part after the last ':' of a URN, else the whole name. */
function shortAttributeName(target: string): string {
  return target.includes(':') ? target.slice(target.lastIndexOf(':') + 1) : target;
}

function thriveTicket(profile: VendorProfile, set: MappingSet): VendorTicketReport {
  const rows = findObjectMapping(set, 'User')?.objectMapping.attributeMappings ?? [];
  const blocks: VendorTicketReport['blocks'] = [];
  const cites = [];
  for (const row of rows) {
    const target = row.targetAttributeName;
    if (attributeRuleFor(profile, target)) continue;
    const rule = unlistedKind(profile, target);
    if (!rule || rule.kind === 'allowed' || rule.kind === 'filtered-default') continue;
    cites.push(...rule.cite);
    if (rule.kind === 'unsupported') {
      blocks.push({
        title: target,
        items: [{ label: 'Customappsso attribute name', value: target }],
        note: `Cannot be requested: ${rule.reason}`,
      });
      continue;
    }
    blocks.push({
      title: target,
      items: [
        { label: 'Customappsso attribute name', value: target },
        { label: 'Thrive custom field ref', value: shortAttributeName(target).toLowerCase() },
        { label: 'Source in Entra', value: sourceExpressionOf(row) ?? '(mapping type None)' },
      ],
      note: 'The field ref is the ref of the Thrive profile field (Configure > Profiles), always in lower case; check it matches the field you created.',
    });
  }
  const source = cites.length > 0 ? ` (${describeCitations(profile, cites)})` : '';
  return {
    intro:
      blocks.length > 0
        ? `Thrive adds a mapping for each field beyond its default list when support receives the customappsso attribute name with its exact casing and the Thrive custom field ref in lower case${source}. Send the blocks below in one ticket.`
        : 'Every mapped attribute is in Thrive’s default list: no mapping needs to be requested from Thrive support.',
    blocks,
  };
}

function hithriveTicket(profile: VendorProfile, set: MappingSet): VendorTicketReport {
  const rows = findObjectMapping(set, 'User')?.objectMapping.attributeMappings ?? [];
  const custom = profile.attributes.filter((rule) => rule.custom);
  const blocks = custom.map((rule) => {
    const row = rows.find((r) => r.targetAttributeName.toLowerCase() === rule.target.toLowerCase());
    const format = rule.format === 'date' ? 'YYYY-MM-DD' : rule.format === 'email' ? 'an e-mail address' : rule.format === 'dateTime' ? 'a date-time' : rule.format ? rule.format.description : 'text';
    return {
      title: rule.target,
      items: [
        { label: 'Target attribute (exact name)', value: row?.targetAttributeName ?? rule.target },
        { label: 'Type', value: rule.type },
        { label: 'Mapped from', value: row ? (sourceExpressionOf(row) ?? '(mapping type None)') : 'not mapped yet' },
        { label: 'Value format', value: format },
      ],
      ...(rule.note ? { note: rule.note } : {}),
    };
  });
  return {
    intro: `HiThrive’s custom attributes, as its guide lists them (${describeCitations(profile, custom.flatMap((r) => r.cite))}). Each must be added under "Edit attribute list for customappsso" with exactly this name before it can be mapped.`,
    blocks,
  };
}

function hectorTicket(profile: VendorProfile, set: MappingSet, groups: readonly SourceObject[]): VendorTicketReport {
  const groupMapping = findObjectMapping(set, 'Group')?.objectMapping;
  const groupsOn = groupMapping !== undefined && groupMapping.enabled !== false;
  const forbidden = profile.groupNames?.forbiddenCharacters ?? [];
  const names = groups.map((group) => String(group.displayName ?? '')).filter((name) => name !== '');
  const usable = names.filter((name) => !forbidden.some((ch) => name.includes(ch)));
  const unusable = names.filter((name) => forbidden.some((ch) => name.includes(ch)));
  const blocks: VendorTicketReport['blocks'] = [
    {
      title: 'Group-to-role association (Settings > Integrations > Resources > SCIM)',
      items: [
        { label: 'Provision Microsoft Entra ID Groups', value: groupsOn ? 'On' : 'Off: Hector receives no groups, every user gets the default role' },
        { label: 'Groups Entra provisions', value: usable.length > 0 ? usable.join('; ') : '(none in this snapshot)' },
        { label: 'Role → groups', value: 'one line per Hector role: the groups above that grant it, separated by ";"; the highest role in the list wins' },
      ],
      note: 'Users in a provisioned group that no role lists get Hector’s default role.',
    },
  ];
  if (unusable.length > 0) {
    blocks.push({
      title: 'Groups that cannot be associated',
      items: unusable.map((name) => ({ label: 'Group', value: name })),
      note: profile.groupNames?.reason ?? 'Their names contain a separator character.',
    });
  }
  const cites = [...(profile.groupNames?.cite ?? []), ...profile.features.groups.cite];
  return {
    intro: `Hector associates provisioned Entra groups with its roles (${describeCitations(profile, cites)}). Give these group names to whoever sets up the association in Hector.`,
    blocks,
  };
}

export function vendorTicket(profile: VendorProfile, set: MappingSet, groups: readonly SourceObject[]): VendorTicketReport | null {
  switch (profile.id) {
    case 'thrive':
      return thriveTicket(profile, set);
    case 'hithrive':
      return hithriveTicket(profile, set);
    case 'hector':
      return hectorTicket(profile, set, groups);
    default:
      return null;
  }
}
