import { resolve } from 'node:path';
import { DataDirInUse, migrate, openPglite, openPostgres, type Db } from './db/db.js';
import { Admin, DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS, parseHours, type OperatorView, type WorkspaceView } from './domain/admin.js';
import { Company } from './domain/company.js';
import { AiSettings, type AiModelView } from './domain/ai/settings.js';
import { Knowledge, type IndexReport } from './domain/ai/knowledge.js';
import { ModelError } from './domain/ai/model.js';
import { HttpError } from './http/errors.js';

/**
 * The admin CLI: workspaces and operators managed without SQL, through the same
 * domain as the operator API's admin routes (server/domain/admin.ts). Run as
 * `node server/main.ts <subcommand>` / the package's bin. It opens the
 * database itself: DATABASE_URL (PostgreSQL; fine beside running servers), else
 * PGlite in DATA_DIR (default .data), which one process may hold at a time, so
 * with PGlite stop the server first (the CLI refuses while it runs).
 */

export const USAGE = `Usage: chat-widget-server <command> [options]

Commands:
  migrate                                  apply the database migrations not applied yet
  workspace create --name N [--origins a,b] [--admin-name N] [--admin-email E]
                                           a workspace, its widget key, identity secret and first admin operator
  workspace list                           every workspace
  workspace set ID [--name N] [--origins a,b] [--require-verification true|false] [--languages en,fr]
                   [--hours "mon-fri 09:00-17:00, sat 10:00-13:00"|none] [--time-zone Europe/Paris]
                                           change a workspace (the rest of its settings: PUT /api/agent/settings)
  operator add --workspace ID --name N [--email E] [--avatar-url U] [--admin]
                                           an operator with their own key
  operator list --workspace ID             a workspace's operators
  operator remove ID                       remove an operator (their messages stay; their key stops working)
  operator rotate-key ID                   a new key for an operator (the old one stops working at once)
  identity-secret rotate --workspace ID [--grace-hours ${DEFAULT_GRACE_HOURS}]
                                           a new identity secret; the old one verifies for the grace period
  ai set --workspace ID --provider openai|anthropic --base-url URL --model M [--key K] [--off]
         [--embedding-model M] [--embedding-base-url URL] [--min-similarity 0.5]
                                           the AI agent's model (the key: --key, or AI_API_KEY in the environment;
                                           it stays on the server); Ollama: --provider openai --base-url http://localhost:11434/v1;
                                           an embedding model ranks the help center by meaning too (on another
                                           server: --embedding-base-url, its key in EMBEDDING_API_KEY)
  ai index --workspace ID                  embed the help center's sections that have no embedding yet
  ai show --workspace ID                   the AI agent's model (never its key)
  ai test --workspace ID                   ask the model for a word: does it answer, how soon
  ai remove --workspace ID                 back to the full-text virtual agent
  help                                     this text

Database: DATABASE_URL (PostgreSQL), else PGlite in DATA_DIR (default .data).
PGlite's data directory is one process's at a time: stop the server before running these,
or use PostgreSQL, where the CLI may run beside the servers.
Secrets (keys, identity secret) are printed once, when made: store them then.`;

interface Writable {
  write(text: string): unknown;
}

class UsageError extends Error {}

interface Spec {
  /** Positional arguments after the subcommand (an id). */
  positional: number;
  /** Flags with a value. */
  values: string[];
  /** Flags without one. */
  switches?: string[];
  required?: string[];
}

const COMMANDS: Record<string, Spec> = {
  migrate: { positional: 0, values: [] },
  help: { positional: 0, values: [] },
  'workspace create': { positional: 0, values: ['name', 'origins', 'admin-name', 'admin-email'], required: ['name'] },
  'workspace list': { positional: 0, values: [] },
  'workspace set': { positional: 1, values: ['name', 'origins', 'require-verification', 'languages', 'hours', 'time-zone'] },
  'operator add': { positional: 0, values: ['workspace', 'name', 'email', 'avatar-url'], switches: ['admin'], required: ['workspace', 'name'] },
  'operator list': { positional: 0, values: ['workspace'], required: ['workspace'] },
  'operator remove': { positional: 1, values: [] },
  'operator rotate-key': { positional: 1, values: [] },
  'identity-secret rotate': { positional: 0, values: ['workspace', 'grace-hours'], required: ['workspace'] },
  'ai set': {
    positional: 0,
    values: ['workspace', 'provider', 'base-url', 'model', 'key', 'embedding-model', 'embedding-base-url', 'min-similarity'],
    switches: ['off'],
    required: ['workspace', 'provider', 'base-url', 'model'],
  },
  'ai index': { positional: 0, values: ['workspace'], required: ['workspace'] },
  'ai show': { positional: 0, values: ['workspace'], required: ['workspace'] },
  'ai test': { positional: 0, values: ['workspace'], required: ['workspace'] },
  'ai remove': { positional: 0, values: ['workspace'], required: ['workspace'] },
};

interface Parsed {
  command: string;
  args: string[];
  flags: Record<string, string | true>;
}

export function parse(argv: string[]): Parsed {
  const words = argv.filter((a) => a !== '--');
  if (!words.length || words.includes('--help') || words.includes('-h')) return { command: 'help', args: [], flags: {} };
  const one = words[0]!;
  const two = words.length > 1 ? `${one} ${words[1]}` : '';
  const command = COMMANDS[two] ? two : COMMANDS[one] ? one : null;
  if (!command) {
    const known = Object.keys(COMMANDS).filter((c) => c.startsWith(`${one} `));
    throw new UsageError(known.length ? `Unknown ${one} command ${JSON.stringify(words[1] ?? '')}: use ${known.join(', ')}` : `Unknown command ${JSON.stringify(one)}`);
  }
  const spec = COMMANDS[command]!;
  const rest = words.slice(command.split(' ').length);
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.switches?.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else if (spec.values.includes(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else {
      throw new UsageError(`Unknown option --${name} for "${command}"${spec.values.length || spec.switches?.length ? `: it takes ${[...spec.values, ...(spec.switches ?? [])].map((f) => `--${f}`).join(', ')}` : ''}`);
    }
  }
  if (args.length !== spec.positional) {
    throw new UsageError(spec.positional ? `"${command}" needs ${spec.positional === 1 ? 'an id' : `${spec.positional} arguments`}${args.length > 1 ? `, got ${args.length} arguments` : ''}` : `"${command}" takes no argument ${JSON.stringify(args[0])}`);
  }
  for (const name of spec.required ?? []) if (flags[name] === undefined) throw new UsageError(`"${command}" needs --${name}`);
  return { command, args, flags };
}

const list = (value: string | true | undefined) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);
const text = (value: string | true | undefined) => (typeof value === 'string' ? value : undefined);

function bool(value: string | true | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--${name} must be true or false`);
}

/** Opens the database the environment names (applying the migrations), and says what it applied. */
async function open(env: NodeJS.ProcessEnv): Promise<{ db: Db; applied: string[]; where: string }> {
  const url = env.DATABASE_URL;
  const dataDir = resolve(env.DATA_DIR || '.data');
  const db = url ? await openPostgres(url) : await openPglite(dataDir);
  try {
    return { db, applied: await migrate(db), where: url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}` };
  } catch (error) {
    await db.close();
    throw error;
  }
}

function describeWorkspace(w: WorkspaceView): string[] {
  return [
    `  widget public key      ${w.public_key ?? '(none)'}`,
    `  allowed origins        ${w.allowed_origins.join(', ')}`,
    `  require verification   ${w.require_verification}`,
    `  languages              ${w.languages.join(', ')}`,
    `  opening hours          ${describeHours(w.business_hours)} (${w.time_zone})`,
    ...(w.previous_identity_secret_until ? [`  previous identity secret verifies until ${w.previous_identity_secret_until}`] : []),
  ];
}

function describeHours(hours: Record<string, [string, string][]>): string {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const days = Object.entries(hours).filter(([, spans]) => spans.length).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return days.length ? days.map(([day, spans]) => `${day} ${spans.map(([a, b]) => `${a}-${b}`).join(' ')}`).join(', ') : 'always open';
}

const describeOperator = (o: OperatorView) => `${o.id}  ${o.role.padEnd(5)}  ${o.name}${o.email ? ` <${o.email}>` : ''}`;
/** The option each field of the domain's messages came from. */
const FLAG_OF: Record<string, string> = {
  'body/time_zone': 'time-zone', hours: 'hours', allowed_origins: 'origins', require_verification: 'require-verification', languages: 'languages', avatar_url: 'avatar-url', email: 'email', name: 'name', grace_hours: 'grace-hours',
};
const SHOWN_ONCE = 'Shown once, store it now:';

/**
 * Runs one admin command; answers the exit code: 0 done, 1 refused or failed
 * (the reason on stderr), 2 a command or option it does not know (with the usage).
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  const say = (...lines: string[]) => void out.write(`${lines.join('\n')}\n`);
  let parsed: Parsed;
  try {
    parsed = parse(argv);
    if (parsed.flags['require-verification'] !== undefined) bool(parsed.flags['require-verification'], 'require-verification');
    if (parsed.flags['grace-hours'] !== undefined && !/^\d+(\.\d+)?$/.test(String(parsed.flags['grace-hours']))) {
      throw new UsageError(`--grace-hours must be a number of hours from 0 to ${MAX_GRACE_HOURS}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, args, flags } = parsed;
  if (command === 'help') {
    say(USAGE);
    return 0;
  }

  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(env);
  } catch (error) {
    err.write(`${error instanceof DataDirInUse ? error.message : `Could not open the database: ${(error as Error).message}`}\n`);
    return 1;
  }
  const { db, applied, where } = opened;
  const admin = new Admin(db);
  const ai = new AiSettings(db);
  try {
    switch (command) {
      case 'migrate':
        say(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}` : `${where} is up to date: no migration to apply`);
        break;
      case 'workspace create': {
        const made = await admin.createWorkspace({
          name: text(flags.name)!,
          allowed_origins: list(flags.origins),
          admin: { name: text(flags['admin-name']) ?? 'Admin', email: text(flags['admin-email']) ?? null },
        });
        say(
          `Created workspace "${made.workspace.name}" (${made.workspace.id}) in ${where}`,
          ...describeWorkspace(made.workspace),
          `  first admin            ${describeOperator(made.operator)}`,
          '',
          SHOWN_ONCE,
          `  identity secret        ${made.identity_secret}`,
          `  operator key           ${made.operator_key}   (${made.operator.name}, admin)`,
        );
        if (made.workspace.allowed_origins.includes('*')) say('', 'Any origin may load the widget: restrict it with  workspace set ID --origins https://your-site.example');
        break;
      }
      case 'workspace list': {
        const all = await admin.listWorkspaces();
        if (!all.length) say(`No workspace yet in ${where}: create one with  workspace create --name "Your company"`);
        for (const w of all) say(`${w.id}  ${w.name}  (${w.operators} operator${w.operators === 1 ? '' : 's'})`, ...describeWorkspace(w));
        break;
      }
      case 'workspace set': {
        const change = {
          name: text(flags.name),
          allowed_origins: list(flags.origins),
          require_verification: bool(flags['require-verification'], 'require-verification'),
          languages: list(flags.languages),
        };
        const hours = text(flags.hours) === undefined ? undefined : parseHours(text(flags.hours)!);
        const timeZone = text(flags['time-zone']);
        if (Object.values(change).every((v) => v === undefined) && hours === undefined && timeZone === undefined) {
          err.write(`"workspace set" needs something to change: --name, --origins, --require-verification, --languages, --hours or --time-zone\n\n${USAGE}\n`);
          return 2;
        }
        await admin.workspace(args[0]!);
        // Hours and time zone are the settings' (PUT /api/agent/settings): the same checks and writes.
        if (hours !== undefined || timeZone !== undefined) {
          await new Company(db).updateSettings(args[0]!, { ...(hours ? { business_hours: hours } : {}), ...(timeZone ? { time_zone: timeZone } : {}) });
        }
        const w = await admin.updateWorkspace(args[0]!, change);
        say(`Updated workspace "${w.name}" (${w.id})`, ...describeWorkspace(w));
        break;
      }
      case 'operator add': {
        const { operator, key } = await admin.addOperator(text(flags.workspace)!, {
          name: text(flags.name)!, email: text(flags.email) ?? null, avatar_url: text(flags['avatar-url']) ?? null, role: flags.admin ? 'admin' : 'agent',
        });
        say(`Added operator ${describeOperator(operator)}`, '', SHOWN_ONCE, `  operator key           ${key}`);
        break;
      }
      case 'operator list': {
        const operators = await admin.operators(text(flags.workspace)!);
        say(...(operators.length ? operators.map(describeOperator) : ['No operator']));
        break;
      }
      case 'operator remove': {
        const removed = await admin.removeOperator(null, args[0]!);
        say(`Removed operator ${removed.name} (${removed.id}): their key no longer works; their messages stay, signed with their name`);
        break;
      }
      case 'operator rotate-key': {
        const { operator, key } = await admin.rotateOperatorKey(null, args[0]!);
        say(`New key for ${operator.name} (${operator.id}); the previous one no longer works`, '', SHOWN_ONCE, `  operator key           ${key}`);
        break;
      }
      case 'ai set': {
        const provider = text(flags.provider);
        if (provider !== 'openai' && provider !== 'anthropic') {
          err.write(`--provider must be openai (OpenAI-compatible: OpenAI, Ollama, vLLM, llama.cpp, LM Studio) or anthropic, got ${JSON.stringify(provider)}\n`);
          return 2;
        }
        const similarity = flags['min-similarity'] === undefined ? undefined : Number(flags['min-similarity']);
        if (similarity !== undefined && !(similarity > 0 && similarity < 1)) {
          err.write(`--min-similarity must be a number between 0 and 1 (exclusive), got ${JSON.stringify(flags['min-similarity'])}\n`);
          return 2;
        }
        await admin.workspace(text(flags.workspace)!);
        const key = text(flags.key) ?? env.AI_API_KEY;
        const embeddingKey = env.EMBEDDING_API_KEY;
        const model = await ai.set(text(flags.workspace)!, {
          provider, base_url: text(flags['base-url'])!, model: text(flags.model)!, ...(key ? { api_key: key } : {}), enabled: !flags.off,
          ...(flags['embedding-model'] !== undefined ? { embedding_model: text(flags['embedding-model']) ?? null } : {}),
          ...(flags['embedding-base-url'] !== undefined ? { embedding_base_url: text(flags['embedding-base-url']) ?? null } : {}),
          ...(embeddingKey ? { embedding_api_key: embeddingKey } : {}),
          ...(similarity !== undefined ? { min_similarity: similarity } : {}),
        });
        say(`The AI agent of workspace ${flags.workspace} uses ${describeModel(model)}`, '  check it with  ai test --workspace ' + flags.workspace);
        if (model.embedding_model) say(`  embed the help center with  ai index --workspace ${flags.workspace}`);
        break;
      }
      case 'ai index': {
        await admin.workspace(text(flags.workspace)!);
        let report: IndexReport;
        try {
          report = await new Knowledge(db, ai).index(text(flags.workspace)!);
        } catch (error) {
          if (!(error instanceof ModelError)) throw error;
          err.write(`The help center could not be embedded: ${error.message} (${error.code})\n`);
          return 1;
        }
        if (!report.model) say(`Workspace ${flags.workspace} has no embedding model (ai set --embedding-model M): its agent ranks by full text alone`);
        else if (!report.vectors) say('This database has no pgvector (CREATE EXTENSION vector failed): the agent ranks by full text alone');
        else say(`${report.embedded} of ${report.chunks} help-center sections have an embedding from ${report.model} (${report.added} new)`);
        break;
      }
      case 'ai show': {
        const model = await ai.get(text(flags.workspace)!);
        say(model ? describeModel(model) : 'No AI model: the full-text virtual agent answers');
        break;
      }
      case 'ai test': {
        const result = await ai.test(text(flags.workspace)!);
        if (!result.ok) {
          err.write(`The model did not answer: ${result.error.message} (${result.error.code})\n`);
          return 1;
        }
        say(`The model answered "${result.sample.trim()}", its first token after ${result.first_token_ms} ms`);
        break;
      }
      case 'ai remove': {
        await ai.remove(text(flags.workspace)!);
        say(`Workspace ${flags.workspace} has no AI model now: the full-text virtual agent answers`);
        break;
      }
      case 'identity-secret rotate': {
        const grace = flags['grace-hours'] === undefined ? DEFAULT_GRACE_HOURS : Number(flags['grace-hours']);
        const rotated = await admin.rotateIdentitySecret(text(flags.workspace)!, grace);
        say(
          `New identity secret for workspace ${flags.workspace}`,
          rotated.previous_valid_until
            ? `The previous one still verifies until ${rotated.previous_valid_until}: switch your site's signing to the new one before then`
            : 'The previous one no longer verifies',
          '',
          SHOWN_ONCE,
          `  identity secret        ${rotated.identity_secret}`,
        );
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof HttpError) {
      // The domain names the field as the API does ("allowed_origins/1 ..."); here it came from an option.
      const flag = Object.entries(FLAG_OF).find(([field]) => error.message.startsWith(field));
      const message = flag ? `--${flag[1]}${error.message.slice(flag[0].length)}`.replace(/^(--[a-z-]+)\/(\d+) /, (_, f: string, n: string) => `${f} (entry ${Number(n) + 1}) `) : error.message;
      err.write(`${message}\n`);
      return 1;
    }
    err.write(`Failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/** A model as the CLI shows it: never its key. */
const describeModel = (m: AiModelView) =>
  `${m.provider === 'openai' ? 'OpenAI-compatible' : 'Anthropic'} ${m.model} at ${m.base_url}${m.key_set ? ', with a key' : ', no key'}${m.enabled ? '' : ' (off)'}; answers up to ${m.max_answer_tokens} tokens, ${m.visitor_requests_per_hour} a visitor an hour, ${m.workspace_tokens_per_day} tokens a day${m.embedding_model ? `; embeddings from ${m.embedding_model}${m.embedding_base_url ? ` at ${m.embedding_base_url}` : ''} (a source by meaning from similarity ${m.min_similarity})` : ''}`;
