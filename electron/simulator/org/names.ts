/**
 * Invented vocabulary for generated orgs. Names are [display form, ASCII form for e-mail addresses].
 * The hostile lists are there to break naive CSV, path and spreadsheet handling in the client; the
 * first few of each list are used at every scale, so even a tiny org carries them.
 */

export const firstNames: readonly (readonly [string, string])[] = [
  ['Dana', 'dana'],
  ['Kofi', 'kofi'],
  ['Lee', 'lee'],
  ['Ana', 'ana'],
  ['Priya', 'priya'],
  ['Mateo', 'mateo'],
  ['Aisha', 'aisha'],
  ['Jonas', 'jonas'],
  ['Mei', 'mei'],
  ['Oluwaseun', 'oluwaseun'],
  ['Sofia', 'sofia'],
  ['Hiroshi', 'hiroshi'],
  ['Fatima', 'fatima'],
  ['Liam', 'liam'],
  ['Ingrid', 'ingrid'],
  ['Rahul', 'rahul'],
  ['Chloé', 'chloe'],
  ['Tomasz', 'tomasz'],
  ['Zoë', 'zoe'],
  ['Andrés', 'andres'],
  ['Nadia', 'nadia'],
  ['Yusuf', 'yusuf'],
  ['Elena', 'elena'],
  ['Kwame', 'kwame'],
  ['Sven', 'sven'],
  ['Aiko', 'aiko'],
  ['Marcus', 'marcus'],
  ['Leila', 'leila'],
  ['Diego', 'diego'],
  ['Freya', 'freya'],
  ['Arjun', 'arjun'],
  ['Noor', 'noor'],
  ['Pablo', 'pablo'],
  ['Greta', 'greta'],
  ['Tariq', 'tariq'],
  ['Ximena', 'ximena'],
  ['Björn', 'bjorn'],
  ['Siobhán', 'siobhan'],
  ['Wei', 'wei'],
  ['Amara', 'amara'],
  ['Luca', 'luca'],
  ['Esther', 'esther'],
  ['Ravi', 'ravi'],
  ['Hana', 'hana'],
  ['Omar', 'omar'],
  ['Clara', 'clara'],
  ['Jamal', 'jamal'],
  ['Petra', 'petra'],
  ['Kenji', 'kenji'],
  ['Lucía', 'lucia'],
  ['Emeka', 'emeka'],
  ['Saanvi', 'saanvi'],
  ['Henrik', 'henrik'],
  ['Yara', 'yara'],
  ['Tobias', 'tobias'],
  ['Mira', 'mira'],
];

export const lastNames: readonly (readonly [string, string])[] = [
  ['Ruiz', 'ruiz'],
  ['Mensah', 'mensah'],
  ['Park', 'park'],
  ['Silva', 'silva'],
  ['Raman', 'raman'],
  ['Okafor', 'okafor'],
  ['Lindqvist', 'lindqvist'],
  ['Tanaka', 'tanaka'],
  ['Haddad', 'haddad'],
  ['Kowalski', 'kowalski'],
  ['Müller', 'muller'],
  ['Nguyen', 'nguyen'],
  ['García', 'garcia'],
  ['Chen', 'chen'],
  ['Adeyemi', 'adeyemi'],
  ['Johansson', 'johansson'],
  ['Sato', 'sato'],
  ['Petrova', 'petrova'],
  ['Dubois', 'dubois'],
  ['Kaur', 'kaur'],
  ['Rossi', 'rossi'],
  ['Novak', 'novak'],
  ['Osei', 'osei'],
  ['Fernández', 'fernandez'],
  ['Larsen', 'larsen'],
  ['Yamamoto', 'yamamoto'],
  ['Abdullah', 'abdullah'],
  ['Walsh', 'walsh'],
  ['Costa', 'costa'],
  ['Ivanova', 'ivanova'],
  ['Mehta', 'mehta'],
  ['Schneider', 'schneider'],
  ['Boateng', 'boateng'],
  ['Kim', 'kim'],
  ['Moreau', 'moreau'],
  ['Alvarez', 'alvarez'],
  ['Eriksen', 'eriksen'],
  ['Das', 'das'],
  ['Bianchi', 'bianchi'],
  ['Wójcik', 'wojcik'],
  ['Achebe', 'achebe'],
  ['Hoffmann', 'hoffmann'],
];

/**
 * Users placed at fixed positions so every scale has them: a display name with a comma, one in RTL
 * script, one in CJK, an apostrophe, and trailing whitespace (as in a seed sample).
 */
export const specialUsers: readonly { first: string; last: string; full: string; display: string; emailLocal: string }[] = [
  { first: 'Dana', last: 'Ruiz', full: 'Dana Ruiz', display: 'Ruiz, Dana', emailLocal: 'dana.ruiz' },
  { first: 'ليلى', last: 'حداد', full: 'ليلى حداد', display: 'ليلى حداد', emailLocal: 'layla.haddad' },
  { first: '芳', last: '王', full: '王芳', display: '王芳', emailLocal: 'fang.wang' },
  { first: 'Seán', last: "O'Brien", full: "Seán O'Brien", display: "Seán O'Brien", emailLocal: 'sean.obrien' },
  { first: 'Abigail', last: 'Anderson', full: 'Abigail Anderson', display: 'Abigail Anderson ', emailLocal: 'abigail.anderson' },
];

export const departments = ['Legal', 'Compliance', 'Engineering', 'Sales', 'Marketing', 'Finance', 'Support', 'People Ops', 'Operations', 'Design'];
export const designations = ['Paralegal', 'Records Manager', 'Software Engineer', 'Account Executive', 'Product Designer', 'Controller', 'Support Specialist', 'Recruiter', 'Director', 'Analyst'];
export const workLocations = ['HQ 3F', 'HQ 5F', 'Remote', 'Berlin office', 'Chennai campus', 'C block, S-H12', 'Austin hub'];
export const countries = ['us', 'United States', 'in', 'India', 'de', 'gb', 'United Kingdom', 'jp', 'br', 'ng'];
export const timezones: readonly (readonly [string, number])[] = [
  ['America/Chicago', -21_600_000],
  ['Asia/Kolkata', 19_800_000],
  ['Europe/Berlin', 3_600_000],
  ['Etc/GMT+12', -43_200_000],
  ['Asia/Tokyo', 32_400_000],
  ['America/Los_Angeles', -28_800_000],
  ['Africa/Lagos', 3_600_000],
  ['Europe/London', 0],
];
export const languages = ['English', 'Deutsch', 'Español', 'Français', '日本語', 'Português'];
export const teamNames = ['Compliance', 'Records', 'Platform', 'Field Sales', 'Brand', 'Payroll', 'Tier 2', 'Hiring'];

export const botNames: readonly string[] = ['Taz', 'Import Bot', 'Zia', 'Standup Bot', 'Deploy Bot', 'Retention Bot', 'Poll Bot', 'Weather'];

export const channelTopics: readonly string[] = [
  'general',
  'engineering',
  'sales-emea',
  'legal-hold',
  'records-team',
  'random',
  'incidents',
  'release-train',
  'design-crit',
  'finance-close',
  'support-escalations',
  'people-ops',
  'marketing',
  'security',
  'data-platform',
  'customer-voice',
  'partners',
  'announcements',
  'office-berlin',
  'office-chennai',
  'hiring',
  'qa',
  'mobile',
  'infra',
  'contracts',
  'audit-2026',
  'travel',
  'book-club',
  'devops',
  'ux-research',
];

export const groupTopics: readonly string[] = [
  'Quarterly planning',
  'Design crit',
  'Release 4.1 war-room',
  'Vendor review',
  'Offsite logistics',
  'Budget sync',
  'Interview loop',
  'Hotfix crew',
  'Contract redlines',
  'Board deck',
  'Lunch club',
  'Audit prep',
  'Migration squad',
  'Pricing review',
  'On-call handover',
  'Launch comms',
];

export const threadTopics: readonly string[] = [
  'Vendor contract questions',
  'Hotfix update',
  'API Documentation',
  'Client slowness',
  'Retention policy v3',
  'Q3 numbers',
  'Holiday rota',
  'Outage follow-up',
  'New hire onboarding',
  'Legal review',
];

const longTitle = `Long title ${'abcdefghij'.repeat(29)}`; // 11 + 290 = 301 characters

/** Group-chat titles: CSV breakers first (comma + quotes, embedded LF, CRLF). */
export const hostileGroupTitles: readonly string[] = [
  'Budget, Q3 "final" numbers',
  'Line one\nline two',
  'Windows\r\nline ending',
  '  padded title  ',
  longTitle,
  "=cmd|' /C calc'!A0",
  '../../etc/passwd',
  '🚀 Launch crew 🎉',
  'فريق المبيعات',
  '"Quoted", title',
  '+SUM(A1:A9)',
  '@import url(evil)',
  'Tab\tseparated',
  '<script>alert(1)</script>',
];

/** Channel names (without `#`). */
export const hostileChannelNames: readonly string[] = [
  'ops, "night" shift',
  ' spaced-out ',
  '=HYPERLINK("http://x")',
  '..\\..\\windows\\system32',
  '📣 announcements-emoji',
  'צוות תמיכה',
  longTitle.slice(0, 300),
  '-1+1',
];

/** Channel descriptions. */
export const hostileDescriptions: readonly string[] = [
  'Handles "urgent" requests, escalations, and follow-ups',
  'First line\nSecond line, with comma',
  'CRLF\r\ninside',
  '   leading spaces',
  "=cmd|' /C calc'!A0",
  '../../etc/passwd',
  'מסמכים רשמיים בלבד',
  '',
];

export const channelDescriptions: readonly string[] = [
  'Retention questions',
  'Marketing Updates',
  'Announcements only, please',
  'Where releases get coordinated',
  'Escalations from tier 1',
  'Anything goes',
  'Legal hold notices',
  'Weekly numbers',
];
