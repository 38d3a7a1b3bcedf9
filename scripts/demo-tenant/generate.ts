/**
 * The "Contoso demo" tenant: Graph-shaped users, groups, the demo enterprise app, its role assignments
 * and directory extensions, generated from a seeded PRNG so every run (and every machine) produces the
 * same bytes. No clock, no Math.random, no node:* imports: benchmarks call it for 100,000 users.
 *
 * The first users are hand-written cases admins hit in real tenants (guests, missing mail, non-Latin
 * names, disabled accounts, very long values, duplicate mail); the rest are drawn from name pools.
 * resources/demo-tenant/README.md documents the shape of every file.
 */
import type { GraphGroup, GraphManagerRef, GraphMemberRef, GraphUser } from '../../shared/directory/graph-to-source.ts';
import { MANAGER_EXPAND, graphUserSelect } from '../../shared/directory/source-schema.ts';

export const DEMO_TENANT_DEFAULT_COUNT = 200;
const DEMO_TENANT_DOMAIN = 'contoso.com';
const DEMO_TENANT_INITIAL_DOMAIN = 'contoso.onmicrosoft.com';
/** The app that owns the tenant's directory extensions (as Entra Connect's "Tenant Schema Extension App" does). */
const DEMO_EXTENSION_APP_ID = '4f6c2a1d-9e8b-47c3-a5d0-e1f2a3b4c5d6';
const EXTENSION_PREFIX = `extension_${DEMO_EXTENSION_APP_ID.replace(/-/g, '')}_`;
export const DEMO_COST_CENTER_EXTENSION = `${EXTENSION_PREFIX}costCenter`;
export const DEMO_SKILLS_EXTENSION = `${EXTENSION_PREFIX}skills`;
export const DEMO_DIRECTORY_EXTENSIONS = [DEMO_COST_CENTER_EXTENSION, DEMO_SKILLS_EXTENSION] as const;

/** Properties the Tenant screen shows that are not provisioning sources (userType is not one, MS-KNOWN). */
const DEMO_INFO_SELECT = ['userType'] as const;

interface GraphCollection<T> {
  '@odata.context': string;
  value: T[];
}

interface GraphAppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin: string;
}

interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appRoleAssignmentRequired: boolean;
  appRoles: GraphAppRole[];
}

interface GraphAppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  principalDisplayName: string;
  principalId: string;
  principalType: 'User' | 'Group';
  resourceDisplayName: string;
  resourceId: string;
}

interface GraphExtensionProperty {
  id: string;
  appDisplayName: string;
  name: string;
  dataType: string;
  isMultiValued: boolean;
  isSyncedFromOnPremises: boolean;
  targetObjects: string[];
}

interface DemoTenant {
  users: GraphCollection<GraphUser>;
  groups: GraphCollection<GraphGroup>;
  servicePrincipals: GraphCollection<GraphServicePrincipal>;
  appRoleAssignedTo: GraphCollection<GraphAppRoleAssignment>;
  extensionProperties: GraphCollection<GraphExtensionProperty>;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: tiny, fast, and good enough for test data; the seed fixes every byte of the output. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(min: number, max: number): number {
      return min + Math.floor(next() * (max - min + 1));
    },
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)]!;
    },
    chance(probability: number): boolean {
      return next() < probability;
    },
    guid(): string {
      let hex = '';
      for (let i = 0; i < 4; i++)
        hex += Math.floor(next() * 4294967296)
          .toString(16)
          .padStart(8, '0');
      // RFC 4122 version 4 layout, like the object ids Entra issues.
      const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}
type Random = ReturnType<typeof createRandom>;

// ---------------------------------------------------------------------------------------------
// Pools

interface Office {
  name: string;
  streetAddress: string;
  city: string;
  state: string | null;
  postalCode: string;
  country: string;
  usageLocation: string;
  language: string;
  phonePrefix: string;
}

const OFFICES: readonly Office[] = [
  {
    name: 'Redmond - Building 40',
    streetAddress: '1 Contoso Way',
    city: 'Redmond',
    state: 'WA',
    postalCode: '98052',
    country: 'United States',
    usageLocation: 'US',
    language: 'en-US',
    phonePrefix: '+1 425 555 0',
  },
  {
    name: 'New York - Hudson Yards',
    streetAddress: '500 W 33rd St',
    city: 'New York',
    state: 'NY',
    postalCode: '10001',
    country: 'US',
    usageLocation: 'US',
    language: 'en-US',
    phonePrefix: '+1 212 555 0',
  },
  {
    name: 'London - Thames Court',
    streetAddress: '1 Victoria Embankment',
    city: 'London',
    state: null,
    postalCode: 'EC4Y 0DR',
    country: 'United Kingdom',
    usageLocation: 'GB',
    language: 'en-GB',
    phonePrefix: '+44 20 7946 0',
  },
  {
    name: 'München Zentrale',
    streetAddress: 'Leopoldstraße 250',
    city: 'München',
    state: 'Bayern',
    postalCode: '80807',
    country: 'Germany',
    usageLocation: 'DE',
    language: 'de-DE',
    phonePrefix: '+49 89 1234 5',
  },
  {
    name: 'Kraków Centrum',
    streetAddress: 'ul. Wielicka 28',
    city: 'Kraków',
    state: 'małopolskie',
    postalCode: '30-552',
    country: 'Poland',
    usageLocation: 'PL',
    language: 'pl-PL',
    phonePrefix: '+48 12 345 6',
  },
  {
    name: 'São Paulo',
    streetAddress: 'Av. Paulista, 1374',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01310-100',
    country: 'Brasil',
    usageLocation: 'BR',
    language: 'pt-BR',
    phonePrefix: '+55 11 3456 7',
  },
  {
    name: 'Montréal',
    streetAddress: '1000 rue De La Gauchetière O',
    city: 'Montréal',
    state: 'QC',
    postalCode: 'H3B 4W5',
    country: 'Canada',
    usageLocation: 'CA',
    language: 'fr-CA',
    phonePrefix: '+1 514 555 0',
  },
  {
    name: 'Shanghai',
    streetAddress: '上海市浦东新区世纪大道100号',
    city: '上海',
    state: null,
    postalCode: '200120',
    country: 'China',
    usageLocation: 'CN',
    language: 'zh-CN',
    phonePrefix: '+86 21 5555 0',
  },
  {
    name: 'Tokyo',
    streetAddress: '東京都港区港南2-16-3',
    city: 'Tokyo',
    state: null,
    postalCode: '108-0075',
    country: 'Japan',
    usageLocation: 'JP',
    language: 'ja-JP',
    phonePrefix: '+81 3 5555 0',
  },
];

interface Department {
  name: string;
  division: string;
  costCenterBase: number;
  titles: readonly string[];
}

const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Sales',
    division: 'Commercial',
    costCenterBase: 1100,
    titles: ['Account Executive', 'Sales Development Representative', 'Regional Sales Manager'],
  },
  {
    name: 'Marketing',
    division: 'Commercial',
    costCenterBase: 1200,
    titles: ['Marketing Specialist', 'Content Strategist', 'Brand Manager'],
  },
  {
    name: 'Engineering',
    division: 'Technology',
    costCenterBase: 2100,
    titles: ['Software Engineer', 'Senior Software Engineer', 'Site Reliability Engineer'],
  },
  {
    name: 'IT',
    division: 'Technology',
    costCenterBase: 2200,
    titles: ['Systems Administrator', 'Identity Engineer', 'Service Desk Analyst'],
  },
  {
    name: 'Finance',
    division: 'Corporate',
    costCenterBase: 3100,
    titles: ['Accountant', 'Financial Analyst', 'Payroll Specialist'],
  },
  {
    name: 'Human Resources',
    division: 'Corporate',
    costCenterBase: 3200,
    titles: ['HR Business Partner', 'Recruiter', 'People Operations Specialist'],
  },
  {
    name: 'Legal',
    division: 'Corporate',
    costCenterBase: 3300,
    titles: ['Counsel', 'Paralegal', 'Compliance Officer'],
  },
  {
    name: 'Operations',
    division: 'Operations',
    costCenterBase: 4100,
    titles: ['Operations Coordinator', 'Logistics Planner', 'Warehouse Associate'],
  },
  {
    name: 'Customer Success',
    division: 'Commercial',
    costCenterBase: 1300,
    titles: ['Customer Success Manager', 'Support Engineer', 'Onboarding Specialist'],
  },
  {
    name: 'Research & Development',
    division: 'Technology',
    costCenterBase: 2300,
    titles: ['Research Scientist', 'Lab Technician', 'Data Scientist'],
  },
];

const COMPANIES = [
  'Contoso Ltd.',
  'Contoso Ltd.',
  'Contoso Ltd.',
  'Contoso Pharmaceuticals',
  'Fabrikam, Inc.',
] as const;
const EMPLOYEE_TYPES = [
  'Employee',
  'Employee',
  'Employee',
  'Employee',
  'Contractor',
  'Consultant',
  'Intern',
  'Vendor',
] as const;

/** [display form, ASCII form for the UPN] — UPNs must be ASCII, display names keep their script. */
type NamePart = readonly [string, string];
const GIVEN_NAMES: readonly NamePart[] = [
  ['Emma', 'emma'],
  ['Liam', 'liam'],
  ['Olivia', 'olivia'],
  ['Noah', 'noah'],
  ['Ava', 'ava'],
  ['Ethan', 'ethan'],
  ['Sophia', 'sophia'],
  ['Mason', 'mason'],
  ['Isabella', 'isabella'],
  ['Lucas', 'lucas'],
  ['Mia', 'mia'],
  ['Oliver', 'oliver'],
  ['Amelia', 'amelia'],
  ['James', 'james'],
  ['Charlotte', 'charlotte'],
  ['Henry', 'henry'],
  ['Zoë', 'zoe'],
  ['José', 'jose'],
  ['Łukasz', 'lukasz'],
  ['Søren', 'soren'],
  ['François', 'francois'],
  ['Chloé', 'chloe'],
  ['Renée', 'renee'],
  ['Björn', 'bjorn'],
  ['Åsa', 'asa'],
  ['Jürgen', 'jurgen'],
  ['Małgorzata', 'malgorzata'],
  ['Ibrahim', 'ibrahim'],
  ['Fatima', 'fatima'],
  ['Siobhán', 'siobhan'],
  ['João', 'joao'],
  ['Ángel', 'angel'],
  ['Dagný', 'dagny'],
  ['Ayşe', 'ayse'],
  ['Nuno', 'nuno'],
  ['Priya', 'priya'],
];
const SURNAMES: readonly NamePart[] = [
  ['Smith', 'smith'],
  ['Johnson', 'johnson'],
  ['Williams', 'williams'],
  ['Brown', 'brown'],
  ['Jones', 'jones'],
  ['García', 'garcia'],
  ['Müller', 'muller'],
  ['Kowalski', 'kowalski'],
  ['Nowak', 'nowak'],
  ['Wiśniewski', 'wisniewski'],
  ['Dubois', 'dubois'],
  ['Lefèvre', 'lefevre'],
  ['Rossi', 'rossi'],
  ['Fernández', 'fernandez'],
  ['Núñez', 'nunez'],
  ['Østergaard', 'ostergaard'],
  ['Öztürk', 'ozturk'],
  ["O'Neil", 'oneil'],
  ['van der Berg', 'vanderberg'],
  ['De La Cruz', 'delacruz'],
  ['Nakamura', 'nakamura'],
  ['Kim', 'kim'],
  ['Nguyen', 'nguyen'],
  ['Patel', 'patel'],
  ['Singh', 'singh'],
  ['Andersson', 'andersson'],
  ['Dvořák', 'dvorak'],
  ['Conceição', 'conceicao'],
  ['MacDonald', 'macdonald'],
  ['Smith-Jones', 'smith-jones'],
  ['Guðmundsdóttir', 'gudmundsdottir'],
];
/** Whole names in non-Latin scripts: [givenName, surname, displayName, ascii alias, office index]. */
const NON_LATIN_NAMES: readonly (readonly [string, string, string, string, number])[] = [
  ['娜', '李', '李娜', 'li.na', 7],
  ['伟', '王', '王伟', 'wei.wang', 7],
  ['Владимир', 'Петров', 'Владимир Петров', 'vladimir.petrov', 3],
  ['Анна', 'Смирнова', 'Анна Смирнова', 'anna.smirnova', 4],
  ['健', '佐藤', '佐藤 健', 'ken.sato', 8],
  ['محمد', 'الأحمد', 'محمد الأحمد', 'mohammed.alahmad', 2],
  ['Γιώργος', 'Παπαδόπουλος', 'Γιώργος Παπαδόπουλος', 'giorgos.papadopoulos', 3],
  ['민준', '김', '김민준', 'minjun.kim', 8],
];

const SKILLS = ['Azure', 'SCIM', 'PowerShell', 'Negotiation', 'Python', 'Figma', 'SAP', 'Welding'] as const;

// ---------------------------------------------------------------------------------------------
// Building users

interface Draft {
  user: GraphUser;
  /** index in the users array of the manager, or null */
  managerIndex: number | null;
  department: Department | null;
  guest: boolean;
  /** in the HiThrive pilot group (the group assigned to the demo app) */
  pilot: boolean;
}

function emptyExtensionAttributes(): Record<string, string | null> {
  const attributes: Record<string, string | null> = {};
  for (let n = 1; n <= 15; n++) attributes[`extensionAttribute${n}`] = null;
  return attributes;
}

class TenantBuilder {
  readonly drafts: Draft[] = [];
  private readonly usedAliases = new Set<string>();
  /** next numeric suffix to try per base alias, so 100,000 users do not rescan 2, 3, 4, ... each time */
  private readonly nextSuffix = new Map<string, number>();
  private nextEmployeeNumber = 100001;

  constructor(readonly random: Random) {}

  uniqueAlias(base: string): string {
    let alias = base;
    let n = this.nextSuffix.get(base) ?? 2;
    while (this.usedAliases.has(alias)) alias = `${base}${n++}`;
    this.nextSuffix.set(base, n);
    this.usedAliases.add(alias);
    return alias;
  }

  employeeId(): string {
    return String(this.nextEmployeeNumber++);
  }

  hireDate(): string {
    const r = this.random;
    const year = r.int(2004, 2025);
    const month = String(r.int(1, 12)).padStart(2, '0');
    const day = String(r.int(1, 28)).padStart(2, '0');
    return `${year}-${month}-${day}T00:00:00Z`;
  }

  /** A member (not guest) user with plausible values everywhere; callers override what makes a case special. */
  member(options: {
    given: string | null;
    surname: string | null;
    displayName: string;
    alias: string;
    department: Department | null;
    office: Office;
    jobTitle: string | null;
    managerIndex: number | null;
  }): Draft {
    const r = this.random;
    const alias = this.uniqueAlias(options.alias);
    const mail = `${alias}@${DEMO_TENANT_DOMAIN}`;
    const synced = r.chance(0.5);
    const department = options.department;
    const costCenter = department ? `CC-${department.costCenterBase + r.int(0, 9)}` : null;
    const extensionAttributes = emptyExtensionAttributes();
    extensionAttributes.extensionAttribute1 = costCenter;
    if (r.chance(0.6)) extensionAttributes.extensionAttribute2 = options.office.name.split(' ')[0]!;
    if (r.chance(0.3)) extensionAttributes.extensionAttribute3 = `B${r.int(10000, 99999)}`;
    if (r.chance(0.2)) extensionAttributes.extensionAttribute10 = r.pick(['HiThrive', 'Thrive', 'Haiilo', 'Hector']);
    const employeeType = r.pick(EMPLOYEE_TYPES);
    const user: GraphUser = {
      id: r.guid(),
      accountEnabled: true,
      businessPhones: r.chance(0.8) ? [`${options.office.phonePrefix}${r.int(100, 999)}`] : [],
      city: options.office.city,
      companyName: r.pick(COMPANIES),
      country: options.office.country,
      department: department?.name ?? null,
      displayName: options.displayName,
      employeeHireDate: r.chance(0.9) ? this.hireDate() : null,
      employeeId: this.employeeId(),
      employeeOrgData: department ? { costCenter, division: department.division } : null,
      employeeType,
      faxNumber: r.chance(0.08) ? `${options.office.phonePrefix}${r.int(100, 999)}` : null,
      givenName: options.given,
      jobTitle: options.jobTitle,
      mail,
      mailNickname: alias,
      mobilePhone: r.chance(0.6)
        ? `${options.office.phonePrefix.split(' ')[0]} ${r.int(600, 799)} ${r.int(100, 999)} ${r.int(1000, 9999)}`
        : null,
      officeLocation: options.office.name,
      onPremisesExtensionAttributes: extensionAttributes,
      onPremisesSecurityIdentifier: synced ? `S-1-5-21-1004336348-1177238915-682003330-${r.int(1100, 99999)}` : null,
      onPremisesSyncEnabled: synced ? true : null,
      otherMails: [],
      postalCode: options.office.postalCode,
      preferredLanguage: r.chance(0.85) ? options.office.language : null,
      proxyAddresses: [`SMTP:${mail}`, `smtp:${alias}@${DEMO_TENANT_INITIAL_DOMAIN}`],
      state: options.office.state,
      streetAddress: options.office.streetAddress,
      surname: options.surname,
      usageLocation: options.office.usageLocation,
      userPrincipalName: `${alias}@${DEMO_TENANT_DOMAIN}`,
      userType: 'Member',
      [DEMO_COST_CENTER_EXTENSION]: costCenter === null ? undefined : costCenter.replace('CC-', ''),
    };
    const draft: Draft = { user, managerIndex: options.managerIndex, department, guest: false, pilot: false };
    this.drafts.push(draft);
    return draft;
  }

  /** A B2B guest: UPN `alias_theirdomain#EXT#@contoso.onmicrosoft.com` (MS-HOW). */
  guest(
    displayName: string,
    given: string | null,
    surname: string | null,
    homeEmail: string,
    withMail: boolean,
  ): Draft {
    const r = this.random;
    const mangled = homeEmail.replace('@', '_');
    const upn = `${mangled}#EXT#@${DEMO_TENANT_INITIAL_DOMAIN}`;
    const user: GraphUser = {
      id: r.guid(),
      accountEnabled: true,
      businessPhones: [],
      city: null,
      companyName: homeEmail
        .split('@')[1]!
        .split('.')[0]!
        .replace(/^./, (c) => c.toUpperCase()),
      country: null,
      department: null,
      displayName,
      employeeHireDate: null,
      employeeId: null,
      employeeOrgData: null,
      employeeType: null,
      faxNumber: null,
      givenName: given,
      jobTitle: null,
      mail: withMail ? homeEmail : null,
      mailNickname: mangled.replace(/[@.]/g, '_').replace(/_+/g, '_'),
      mobilePhone: null,
      officeLocation: null,
      onPremisesExtensionAttributes: emptyExtensionAttributes(),
      onPremisesSecurityIdentifier: null,
      onPremisesSyncEnabled: null,
      otherMails: [homeEmail],
      postalCode: null,
      preferredLanguage: null,
      proxyAddresses: withMail ? [`SMTP:${homeEmail}`] : [],
      state: null,
      streetAddress: null,
      surname,
      usageLocation: null,
      userPrincipalName: upn,
      userType: 'Guest',
    };
    const draft: Draft = { user, managerIndex: null, department: null, guest: true, pilot: false };
    this.drafts.push(draft);
    return draft;
  }
}

function indexOf(builder: TenantBuilder, draft: Draft): number {
  return builder.drafts.indexOf(draft);
}

/**
 * Graph's JSON for one user: keys in a fixed order (id first, then alphabetical as our `$select`),
 * `undefined` extension values dropped (Graph omits a directory extension the user has no value for),
 * and the manager expanded at the end when there is one.
 */
function toGraphJson(draft: Draft, managers: (GraphManagerRef | null)[], index: number): GraphUser {
  const { id, ...rest } = draft.user;
  const ordered: GraphUser = { id };
  for (const key of Object.keys(rest).sort()) {
    const value = rest[key];
    if (value !== undefined) ordered[key] = value;
  }
  const manager = managers[index];
  if (manager) ordered.manager = manager;
  return ordered;
}

// ---------------------------------------------------------------------------------------------
// The hand-written cases

function addOrganisation(builder: TenantBuilder, count: number): void {
  const r = builder.random;
  const hq = OFFICES[0]!;

  // 0: the CEO, top of every manager chain; deliberately not in the pilot group (a manager outside scope).
  const ceo = builder.member({
    given: 'Megan',
    surname: 'Bowen',
    displayName: 'Megan Bowen',
    alias: 'megan.bowen',
    department: null,
    office: hq,
    jobTitle: 'Chief Executive Officer',
    managerIndex: null,
  });
  ceo.user.employeeType = 'Employee';

  // Department heads report to the CEO; team leads report to heads; everyone else to a lead: chains of 4.
  const heads = DEPARTMENTS.map((department, i) => {
    const given = GIVEN_NAMES[(i * 7) % GIVEN_NAMES.length]!;
    const surname = SURNAMES[(i * 5 + 3) % SURNAMES.length]!;
    const head = builder.member({
      given: given[0],
      surname: surname[0],
      displayName: `${given[0]} ${surname[0]}`,
      alias: `${given[1]}.${surname[1]}`,
      department,
      office: OFFICES[i % OFFICES.length]!,
      jobTitle: `Vice President, ${department.name}`,
      managerIndex: 0,
    });
    head.user.employeeType = 'Employee';
    return head;
  });
  const leads = heads.flatMap((head, i) =>
    [0, 1].map(() => {
      const given = r.pick(GIVEN_NAMES);
      const surname = r.pick(SURNAMES);
      const department = DEPARTMENTS[i]!;
      return builder.member({
        given: given[0],
        surname: surname[0],
        displayName: `${given[0]} ${surname[0]}`,
        alias: `${given[1]}.${surname[1]}`,
        department,
        office: r.pick(OFFICES),
        jobTitle: `${department.name} Team Lead`,
        managerIndex: indexOf(builder, head),
      });
    }),
  );
  const leadFor = (department: Department): number => {
    const d = DEPARTMENTS.indexOf(department);
    return indexOf(builder, leads[d * 2 + r.int(0, 1)]!);
  };
  const dept = (name: string): Department => DEPARTMENTS.find((d) => d.name === name)!;

  // Names in other scripts and with diacritics (the brief's Zoë, José, Łukasz, 李娜, Владимир, João).
  const named = (
    given: string,
    surname: string,
    alias: string,
    department: Department,
    office: Office,
    jobTitle: string,
  ) =>
    builder.member({
      given,
      surname,
      displayName: `${given} ${surname}`,
      alias,
      department,
      office,
      jobTitle,
      managerIndex: leadFor(department),
    });
  named('Zoë', 'Lefèvre', 'zoe.lefevre', dept('Marketing'), OFFICES[6]!, 'Marketing Specialist');
  named('José', 'Núñez', 'jose.nunez', dept('Sales'), OFFICES[5]!, 'Account Executive');
  named('Łukasz', 'Wiśniewski', 'lukasz.wisniewski', dept('Engineering'), OFFICES[4]!, 'Senior Software Engineer');
  named('João', 'Conceição', 'joao.conceicao', dept('Customer Success'), OFFICES[5]!, 'Support Engineer');
  named('Ãngela', 'Simões', 'angela.simoes', dept('Finance'), OFFICES[5]!, 'Financial Analyst');
  named('Siobhán', "O'Brien", 'siobhan.obrien', dept('Legal'), OFFICES[2]!, 'Counsel');
  named('Anne-Marie', 'Smith-Jones', 'anne-marie.smith-jones', dept('Human Resources'), OFFICES[2]!, 'Recruiter');
  for (const [given, surname, displayName, alias, officeIndex] of NON_LATIN_NAMES) {
    const department = r.pick(DEPARTMENTS);
    const office = OFFICES[officeIndex]!;
    builder.member({
      given,
      surname,
      displayName,
      alias,
      department,
      office,
      jobTitle: r.pick(department.titles),
      managerIndex: leadFor(department),
    });
  }

  // Guests (#EXT# UPNs): one whose alias contains '_' (the last '_' is the one Entra inserted), one without mail.
  builder.guest('John Doe (Fabrikam)', 'John', 'Doe', 'john.doe@fabrikam.com', true);
  builder.guest('Mary Ann Lee', 'Mary Ann', 'Lee', 'mary_ann.lee@northwindtraders.com', true);
  builder.guest('Ravi Kumar', 'Ravi', 'Kumar', 'ravi.kumar@tailspintoys.com', false);
  builder.guest('Élodie Martin (Adatum)', 'Élodie', 'Martin', 'elodie.martin@adatum.fr', true);
  builder.guest('alex.k@gmail.com', null, null, 'alex.k@gmail.com', true);

  // Frontline workers without a mailbox: mail null, no proxy addresses (Coalesce([mail],[userPrincipalName]) cases).
  for (let i = 0; i < 6; i++) {
    const given = r.pick(GIVEN_NAMES);
    const surname = r.pick(SURNAMES);
    const department = dept('Operations');
    const worker = builder.member({
      given: given[0],
      surname: surname[0],
      displayName: `${given[0]} ${surname[0]}`,
      alias: `${given[1]}.${surname[1]}`,
      department,
      office: r.pick(OFFICES),
      jobTitle: 'Warehouse Associate',
      managerIndex: leadFor(department),
    });
    worker.user.mail = null;
    worker.user.proxyAddresses = [];
    worker.user.businessPhones = [];
  }

  // Disabled accounts (IsSoftDeleted true; Entra never creates them in the target), one of them a manager.
  const disabledLead = leads[4]!;
  disabledLead.user.accountEnabled = false;
  for (let i = 0; i < 4; i++) {
    const given = r.pick(GIVEN_NAMES);
    const surname = r.pick(SURNAMES);
    const department = r.pick(DEPARTMENTS);
    const leaver = builder.member({
      given: given[0],
      surname: surname[0],
      displayName: `${given[0]} ${surname[0]}`,
      alias: `${given[1]}.${surname[1]}`,
      department,
      office: r.pick(OFFICES),
      jobTitle: r.pick(department.titles),
      managerIndex: leadFor(department),
    });
    leaver.user.accountEnabled = false;
  }

  // Very long values: jobTitle past 64 characters (many SCIM targets cut at 64), a 64-character department.
  const longest = builder.member({
    given: 'Maximilian-Alexander',
    surname: 'von Hohenzollern-Sigmaringen',
    displayName:
      'Maximilian-Alexander Friedrich Wilhelm von Hohenzollern-Sigmaringen (Interim, Global Infrastructure Programme)',
    alias: 'maximilian.vonhohenzollern',
    department: dept('IT'),
    office: OFFICES[3]!,
    jobTitle:
      'Senior Principal Cloud Infrastructure Architect, Identity and Access Management Platform (EMEA and APAC)',
    managerIndex: leadFor(dept('IT')),
  });
  longest.user.department = 'Global Infrastructure, Identity and Access Management Operations';
  longest.user.streetAddress =
    'Leopoldstraße 250, Gebäude C, 4. Obergeschoss, Raum 4.117, z. Hd. Abteilung Identitäts- und Zugriffsverwaltung, Postfach 80 08 07';
  longest.user.onPremisesExtensionAttributes = Object.fromEntries(
    Array.from({ length: 15 }, (_, i) => [
      `extensionAttribute${i + 1}`,
      i === 14 ? 'x'.repeat(1024) : `ea${i + 1}-value`,
    ]),
  );

  // Several phone numbers: two businessPhones (only [0] becomes telephoneNumber), mobile and fax.
  const phones = builder.member({
    given: 'Diego',
    surname: 'Siciliani',
    displayName: 'Diego Siciliani',
    alias: 'diego.siciliani',
    department: dept('Sales'),
    office: OFFICES[1]!,
    jobTitle: 'Regional Sales Manager',
    managerIndex: leadFor(dept('Sales')),
  });
  phones.user.businessPhones = ['+1 212 555 0142', '+1 212 555 0143'];
  phones.user.mobilePhone = '+1 917 555 0188';
  phones.user.faxNumber = '+1 212 555 0199';

  // Two users sharing one mail address (Forms On Fire requires unique emails; cloud-only mail is not unique).
  for (const [given, surname, alias] of [
    ['Reception', 'Desk', 'reception.redmond'],
    ['Reception', 'Desk (Backup)', 'reception.backup'],
  ] as const) {
    const shared = builder.member({
      given,
      surname,
      displayName: `${given} ${surname}`,
      alias,
      department: dept('Operations'),
      office: hq,
      jobTitle: 'Receptionist',
      managerIndex: leadFor(dept('Operations')),
    });
    shared.user.mail = `reception@${DEMO_TENANT_DOMAIN}`;
    shared.user.proxyAddresses = [];
  }

  // A service account: no given name or surname, no department, no manager.
  const service = builder.member({
    given: null,
    surname: null,
    displayName: 'Scanner Service Account',
    alias: 'svc-scanner',
    department: null,
    office: hq,
    jobTitle: null,
    managerIndex: null,
  });
  service.user.employeeId = null;
  service.user.employeeType = null;
  service.user.employeeHireDate = null;

  // A hire date that is not midnight UTC (FormatDateTime input-format pitfalls, Microsoft Learn "Reference for writing
  // expressions for attribute mappings").
  const newHire = builder.member({
    given: 'Adele',
    surname: 'Vance',
    displayName: 'Adele Vance',
    alias: 'adele.vance',
    department: dept('Engineering'),
    office: hq,
    jobTitle: 'Software Engineer',
    managerIndex: leadFor(dept('Engineering')),
  });
  newHire.user.employeeHireDate = '2025-07-01T08:00:00Z';
  newHire.user.employeeType = 'Intern';

  // Everyone else: drawn from the pools until the requested count.
  while (builder.drafts.length < count) {
    const given = r.pick(GIVEN_NAMES);
    const surname = r.pick(SURNAMES);
    const department = r.pick(DEPARTMENTS);
    const draft = builder.member({
      given: given[0],
      surname: surname[0],
      displayName: `${given[0]} ${surname[0]}`,
      alias: `${given[1]}.${surname[1]}`,
      department,
      office: r.pick(OFFICES),
      jobTitle: r.pick(department.titles),
      managerIndex: leadFor(department),
    });
    if (r.chance(0.03)) draft.user.accountEnabled = false;
    if (r.chance(0.05))
      draft.user[DEMO_SKILLS_EXTENSION] = [r.pick(SKILLS), r.pick(SKILLS)].filter((s, i, all) => all.indexOf(s) === i);
  }
}

// ---------------------------------------------------------------------------------------------
// Groups, the demo app and its assignments

interface GroupSpec {
  displayName: string;
  mailNickname: string;
  description: string;
  mailEnabled: boolean;
  members: GraphMemberRef[];
}

function userRef(draft: Draft): GraphMemberRef {
  return { '@odata.type': '#microsoft.graph.user', id: draft.user.id };
}

function buildGroups(builder: TenantBuilder): { groups: GraphGroup[]; pilotGroupId: string; hectorGroupId: string } {
  const r = builder.random;
  const drafts = builder.drafts;
  const employees = drafts.filter((d) => !d.guest);
  const inDepartment = (...names: string[]) =>
    employees.filter((d) => d.department !== null && names.includes(d.department.name));
  const everyNth = (list: Draft[], n: number, offset = 0) => list.filter((_, i) => i % n === offset);

  // The pilot is Sales, Marketing and Customer Success staff below the heads: their heads and the CEO
  // stay out, so those users' managers are outside the assigned scope.
  const pilot = inDepartment('Sales', 'Marketing', 'Customer Success').filter((d) => d.managerIndex !== 0);
  for (const d of pilot) d.pilot = true;

  const engineeringLeads = employees.filter(
    (d) => d.user.jobTitle === 'Engineering Team Lead' || d.user.jobTitle === 'Research & Development Team Lead',
  );
  const specs: GroupSpec[] = [
    {
      displayName: 'All Contoso Employees',
      mailNickname: 'all-employees',
      description: 'Every member account (dynamic: userType eq Member).',
      mailEnabled: true,
      members: employees.map(userRef),
    },
    {
      displayName: 'HiThrive Pilot',
      mailNickname: 'hithrive-pilot',
      description: 'Assigned to the Contoso SCIM Demo app (Sync only assigned users and groups).',
      mailEnabled: false,
      members: pilot.map(userRef),
    },
    {
      displayName: 'Sales',
      mailNickname: 'sales',
      description: 'Sales department.',
      mailEnabled: true,
      members: inDepartment('Sales').map(userRef),
    },
    {
      displayName: 'Engineering',
      mailNickname: 'engineering',
      description:
        'Engineering department; contains the Engineering Leads group (nested groups are not expanded by provisioning).',
      mailEnabled: true,
      members: inDepartment('Engineering').map(userRef),
    },
    {
      displayName: 'Engineering Leads',
      mailNickname: 'engineering-leads',
      description: 'Team leads in Engineering and R&D; a member of Engineering.',
      mailEnabled: false,
      members: engineeringLeads.map(userRef),
    },
    {
      displayName: 'hector_admins',
      mailNickname: 'hector_admins',
      description: 'Hector role group: Admin.',
      mailEnabled: false,
      members: inDepartment('IT').slice(0, 4).map(userRef),
    },
    {
      displayName: 'hector_staff',
      mailNickname: 'hector_staff',
      description: 'Hector role group: Staff.',
      mailEnabled: false,
      members: everyNth(inDepartment('Operations', 'IT'), 2).map(userRef),
    },
    {
      displayName: 'hector_users',
      mailNickname: 'hector_users',
      description: 'Hector role group: User.',
      mailEnabled: false,
      members: everyNth(employees, 5).map(userRef),
    },
    {
      displayName: 'Hector Employees',
      mailNickname: 'hector-employees',
      description: 'Synced to Hector to restrict record access (no role).',
      mailEnabled: false,
      members: everyNth(employees, 3).map(userRef),
    },
    {
      displayName: 'hector_places',
      mailNickname: 'hector_places',
      description: 'Synced to Hector for places (no role).',
      mailEnabled: false,
      members: everyNth(inDepartment('Operations'), 2, 1).map(userRef),
    },
    // Hector lists several group names per role separated by ';' — a ';' inside a name is ambiguous there.
    {
      displayName: 'Facilities; Field Ops',
      mailNickname: 'facilities-field-ops',
      description: "A name containing ';' (Hector's role-to-group list separator).",
      mailEnabled: false,
      members: everyNth(inDepartment('Operations'), 3).map(userRef),
    },
    {
      displayName: 'Thrive Learners',
      mailNickname: 'thrive-learners',
      description: 'Thrive LXP learners.',
      mailEnabled: false,
      members: everyNth(employees, 4, 1).map(userRef),
    },
    {
      displayName: 'Forms On Fire – Inspectors',
      mailNickname: 'fof-inspectors',
      description: 'Includes both accounts that share reception@contoso.com.',
      mailEnabled: false,
      members: [
        ...new Set([
          ...everyNth(inDepartment('Operations'), 2),
          ...employees.filter((d) => d.user.mail === `reception@${DEMO_TENANT_DOMAIN}`),
        ]),
      ].map(userRef),
    },
    {
      displayName: 'Haiilo Ambassadors',
      mailNickname: 'haiilo-ambassadors',
      description: 'Haiilo Advocacy ambassadors.',
      mailEnabled: false,
      members: everyNth(inDepartment('Marketing', 'Sales'), 3).map(userRef),
    },
    {
      displayName: 'Équipe Montréal & São Paulo',
      mailNickname: 'equipe-montreal-saopaulo',
      description: 'A display name with diacritics and an ampersand.',
      mailEnabled: true,
      members: employees.filter((d) => d.user.city === 'Montréal' || d.user.city === 'São Paulo').map(userRef),
    },
    {
      displayName: 'Partners (Guests)',
      mailNickname: 'partners-guests',
      description: 'B2B guests.',
      mailEnabled: false,
      members: drafts.filter((d) => d.guest).map(userRef),
    },
    {
      displayName: 'Project Nightingale',
      mailNickname: 'project-nightingale',
      description: 'A group with no members yet.',
      mailEnabled: false,
      members: [],
    },
  ];

  const groups: GraphGroup[] = specs.map((spec) => ({
    id: r.guid(),
    description: spec.description,
    displayName: spec.displayName,
    groupTypes: spec.mailEnabled ? ['Unified'] : [],
    mail: spec.mailEnabled ? `${spec.mailNickname}@${DEMO_TENANT_DOMAIN}` : null,
    mailEnabled: spec.mailEnabled,
    mailNickname: spec.mailNickname,
    securityEnabled: !spec.mailEnabled,
    members: spec.members,
  }));
  const byName = (name: string) => groups.find((g) => g.displayName === name)!;
  // Nested membership: provisioning ignores it (MS-KNOWN); the reader reports it.
  byName('Engineering').members!.push({ '@odata.type': '#microsoft.graph.group', id: byName('Engineering Leads').id });
  return { groups, pilotGroupId: byName('HiThrive Pilot').id, hectorGroupId: byName('hector_users').id };
}

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#';

/** Builds the whole tenant for `count` users (at least the hand-written cases, about 70). */
export function generateDemoTenant(count: number = DEMO_TENANT_DEFAULT_COUNT): DemoTenant {
  const random = createRandom(0x5c1a_2026);
  const builder = new TenantBuilder(random);
  addOrganisation(builder, count);
  const { groups, pilotGroupId, hectorGroupId } = buildGroups(builder);

  const managers = builder.drafts.map((draft): GraphManagerRef | null => {
    if (draft.managerIndex === null) return null;
    const m = builder.drafts[draft.managerIndex]!.user;
    return {
      '@odata.type': '#microsoft.graph.user',
      id: m.id,
      displayName: m.displayName ?? null,
      userPrincipalName: m.userPrincipalName ?? null,
      mail: m.mail ?? null,
    };
  });
  const users = builder.drafts.map((draft, index) => toGraphJson(draft, managers, index));

  const select = [...graphUserSelect(DEMO_DIRECTORY_EXTENSIONS), ...DEMO_INFO_SELECT];
  // @odata.context lists the expanded navigation with its selected properties: manager(id,displayName,...).
  const expandContext = MANAGER_EXPAND.replace('$select=', '');

  const spId = random.guid();
  const appId = random.guid();
  const roles: GraphAppRole[] = [
    {
      id: random.guid(),
      value: 'User',
      displayName: 'User',
      description: 'Standard access.',
      allowedMemberTypes: ['User'],
      isEnabled: true,
      origin: 'Application',
    },
    {
      id: random.guid(),
      value: 'Admin',
      displayName: 'Administrator',
      description: 'Administers the vendor tenant.',
      allowedMemberTypes: ['User'],
      isEnabled: true,
      origin: 'Application',
    },
    {
      id: random.guid(),
      value: 'ReadOnly',
      displayName: 'Read only',
      description: 'Read-only access.',
      allowedMemberTypes: ['User'],
      isEnabled: true,
      origin: 'Application',
    },
  ];
  const servicePrincipal: GraphServicePrincipal = {
    id: spId,
    appId,
    displayName: 'Contoso SCIM Demo',
    appRoleAssignmentRequired: true,
    appRoles: roles,
  };
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const assignment = (
    principalId: string,
    principalType: 'User' | 'Group',
    displayName: string,
    roleIndex: number,
  ): GraphAppRoleAssignment => ({
    id: random.guid().replace(/-/g, '').slice(0, 43),
    appRoleId: roles[roleIndex]!.id,
    createdDateTime: '2026-01-15T09:30:00Z',
    principalDisplayName: displayName,
    principalId,
    principalType,
    resourceDisplayName: servicePrincipal.displayName,
    resourceId: spId,
  });
  const itAdmins = builder.drafts.filter((d) => d.department?.name === 'IT' && !d.guest).slice(0, 2);
  const assignments: GraphAppRoleAssignment[] = [
    assignment(pilotGroupId, 'Group', groupById.get(pilotGroupId)!.displayName!, 0),
    assignment(hectorGroupId, 'Group', groupById.get(hectorGroupId)!.displayName!, 0),
    ...itAdmins.map((d) => assignment(d.user.id, 'User', d.user.displayName!, 1)),
    ...builder.drafts
      .filter((d) => d.guest)
      .slice(0, 2)
      .map((d) => assignment(d.user.id, 'User', d.user.displayName!, 2)),
  ];

  const extensionProperties: GraphExtensionProperty[] = [
    {
      id: random.guid(),
      appDisplayName: 'Tenant Schema Extension App',
      name: DEMO_COST_CENTER_EXTENSION,
      dataType: 'String',
      isMultiValued: false,
      isSyncedFromOnPremises: false,
      targetObjects: ['User'],
    },
    {
      id: random.guid(),
      appDisplayName: 'Tenant Schema Extension App',
      name: DEMO_SKILLS_EXTENSION,
      dataType: 'String',
      isMultiValued: true,
      isSyncedFromOnPremises: false,
      targetObjects: ['User'],
    },
  ];

  return {
    users: { '@odata.context': `${CONTEXT}users(${select.join(',')},${expandContext})`, value: users },
    groups: {
      '@odata.context': `${CONTEXT}groups(id,description,displayName,groupTypes,mail,mailEnabled,mailNickname,securityEnabled,members(id))`,
      value: groups,
    },
    servicePrincipals: {
      '@odata.context': `${CONTEXT}servicePrincipals(id,appId,displayName,appRoleAssignmentRequired,appRoles)`,
      value: [servicePrincipal],
    },
    appRoleAssignedTo: {
      '@odata.context': `${CONTEXT}servicePrincipals('${spId}')/appRoleAssignedTo`,
      value: assignments,
    },
    extensionProperties: {
      '@odata.context': `${CONTEXT}applications('${random.guid()}')/extensionProperties`,
      value: extensionProperties,
    },
  };
}

/** The files under resources/demo-tenant/, as their exact bytes (2-space JSON, trailing newline). */
export function demoTenantFiles(tenant: DemoTenant): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'users.json': json(tenant.users),
    'groups.json': json(tenant.groups),
    'service-principals.json': json(tenant.servicePrincipals),
    'app-role-assigned-to.json': json(tenant.appRoleAssignedTo),
    'extension-properties.json': json(tenant.extensionProperties),
  };
}
