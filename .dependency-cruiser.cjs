/**
 * Which room may import which. Rooms are the folders under src/modules; `npm run lint` runs this
 * (`depcruise src`) after eslint. The capability rooms are the rooms of the loop that change an appeal
 * through the one writer.
 */
const CAPABILITY =
  '(assignments|supervision|assessment|follow-up|plans|deadlines|routing|meetings|reports|knowledge|attachments|privacy|whistles)';
/** Files of a room that another room may see without reaching into its workings. */
const ENTITY = '[^/]+\\.entity\\.ts$';
const PURE_VIEW = '[^/]+\\.view\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular-between-rooms',
      severity: 'error',
      comment:
        'A cycle of imports that leaves its room: two rooms that need each other are one room, or one of ' +
        'them should take what it needs as an injected port (as AssignmentRelease does).',
      from: { path: '^src/modules/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^src/modules/$1/' } },
    },
    {
      name: 'appeals-imports-no-capability-room',
      severity: 'error',
      comment:
        'appeals imports no capability room, except their entities (for reading) and their pure views ' +
        '(the appeal view composes them).',
      from: { path: '^src/modules/appeals/' },
      to: {
        path: `^src/modules/${CAPABILITY}/`,
        pathNot: [
          `^src/modules/${CAPABILITY}/(entities/)?${ENTITY}`,
          `^src/modules/${CAPABILITY}/${PURE_VIEW}`,
        ],
      },
    },
    {
      name: 'views-are-pure',
      severity: 'error',
      comment: 'A *.view.ts is a pure function of rows: it imports only types, other views and pure helpers.',
      from: { path: `^src/modules/[^/]+/${PURE_VIEW}` },
      to: {
        path: [
          '^src/infra/',
          'node_modules/(@nestjs|typeorm|pg|ioredis|bullmq)/',
          '\\.(service|module|controller|processor)\\.ts$',
        ],
      },
    },
    {
      name: 'capability-rooms-change-appeals-through-the-writer',
      severity: 'error',
      comment:
        'A capability room changes an appeal only through appeals/appeal-writer.ts; from appeals it may ' +
        'import the module and its exported services, the DTOs, entities, views and route helpers — not ' +
        'the event log, the appeal-level actions or the controller.',
      from: { path: `^src/modules/${CAPABILITY}/` },
      to: {
        path: '^src/modules/appeals/',
        pathNot: [
          '^src/modules/appeals/appeal-writer\\.ts$',
          '^src/modules/appeals/appeals\\.module\\.ts$',
          '^src/modules/appeals/(appeals\\.service|batch-filing|appeal-reader|assignment-release|knowledge-citations|attachment-refs)\\.ts$',
          '^src/modules/appeals/deadlines/(deadline-(alarms|log|timers)|timer-sources|row-timers)\\.ts$',
          '^src/modules/appeals/[^/]+\\.dto\\.ts$',
          '^src/modules/appeals/entities/',
          '^src/modules/appeals/(appeal-view|disclosure|appeal-routes|appeal-notices|appeal-number)\\.ts$',
        ],
      },
    },
    {
      name: 'src-imports-no-tests-or-scripts',
      severity: 'error',
      comment:
        'The service does not depend on its tests, benches or scripts (its own *.spec.ts may use the ' +
        "tests' sample files).",
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|scripts|bench)/' },
    },
    {
      name: 'infra-imports-modules-only-for-entities',
      severity: 'error',
      comment:
        'src/infra lists the entities (database/entities.ts), reads the report time zone for the ' +
        'connection, the SPEC §2 statuses for its gauges, the auth decorators for its controllers and ' +
        "guards, and the reports' labels for the dashboard; nothing else of a room.",
      from: { path: '^src/infra/' },
      to: {
        path: '^src/modules/',
        pathNot: [
          `^src/modules/[^/]+/(entities/)?${ENTITY}`,
          '^src/modules/reports/report-time-zone\\.ts$',
          // the dashboard is served the reports' labels, a pure table, as an ES module
          '^src/modules/reports/metric-labels\\.ts$',
          '^src/modules/workflow/appeal-state-machine\\.ts$',
          '^src/modules/auth/auth\\.decorators\\.ts$',
          // the rate limit decides whose bucket a request fills from the token's signature, before auth
          '^src/modules/auth/bearer-tokens\\.ts$',
        ],
      },
    },
    {
      name: 'infra-entities-only-from-the-entity-list',
      severity: 'error',
      comment:
        'Only database/entities.ts lists entities; the rest of infra does not reach into rooms for them.',
      // the API document names the roles (users/user.entity.ts ROLES)
      from: { path: '^src/infra/', pathNot: '^src/infra/(database/entities|http/openapi)\\.ts$' },
      to: { path: `^src/modules/[^/]+/(entities/)?${ENTITY}` },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
