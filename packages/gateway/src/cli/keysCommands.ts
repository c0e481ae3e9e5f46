import { integerIn, parseWithEnv } from '@signal/chain';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type ApiKeyInfo,
  type ApiKeyScope,
  ApiKeyScopeSchema,
  MAX_REQUESTS_PER_MINUTE,
} from '../keys/ApiKeyRecord';
import type { GatewayStore } from '../store/GatewayStore';
import { openGatewayStore } from '../store/openGatewayStore';
import { GatewayCliError } from './GatewayCliError';
import { type StoreFlags, storeLocation, storeOptions } from './storeFlags';

/** Where a command prints; tests capture it, the binary writes stdout. */
export type CliOutput = (text: string) => void;

interface KeyFlags extends StoreFlags {
  name?: string;
  id?: string;
  rpm?: LimitFlag;
  tokensPerDay?: LimitFlag;
  scopes?: ApiKeyScope[];
  json?: boolean;
}

/**
 * A limit flag: a positive integer, or `none` for unlimited. `none` stays a word until the
 * limits are built: commander turns a parser's null into an empty string.
 */
type LimitFlag = number | 'none';

function limit(flag: string, max: number): (raw: string) => LimitFlag {
  const integer = integerIn(flag, 1, max);
  return (raw) => (raw.trim().toLowerCase() === 'none' ? 'none' : integer(raw));
}

const limitValue = (flag: LimitFlag) => (flag === 'none' ? null : flag);

function scopes(raw: string): ApiKeyScope[] {
  const parsed = ApiKeyScopeSchema.array()
    .min(1)
    .safeParse(raw.split(',').map((s) => s.trim()));
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `--scopes takes a comma-separated list of ${ApiKeyScopeSchema.options.join(', ')}.`,
    );
  }
  return parsed.data;
}

const rpmOption = () =>
  new Option('--rpm <n>', 'requests per minute, or none').argParser(
    limit('--rpm', MAX_REQUESTS_PER_MINUTE),
  );
const tokensOption = () =>
  new Option('--tokens-per-day <n>', 'condensed tokens per UTC day, or none').argParser(
    limit('--tokens-per-day', Number.MAX_SAFE_INTEGER),
  );
const jsonOption = () => new Option('--json', 'print JSON');
const idOption = () => new Option('--id <id>', 'the key id (the 12 hex digits after sig_)');

function keysCommand(name: string, description: string, options: Option[]): Command {
  const command = new Command(`signal gateway keys ${name}`)
    .description(description)
    .showHelpAfterError()
    .exitOverride()
    .action(() => undefined);
  for (const option of [...storeOptions(true), ...options]) command.addOption(option);
  return command;
}

const COMMANDS = {
  create: () =>
    keysCommand('create', 'Create an API key; the key is printed once', [
      new Option('--name <name>', 'who the key is for').makeOptionMandatory(),
      rpmOption(),
      tokensOption(),
      new Option('--scopes <list>', 'condense, usage [condense]').argParser(scopes),
      jsonOption(),
    ]),
  list: () => keysCommand('list', 'List API keys (never their secrets)', [jsonOption()]),
  revoke: () =>
    keysCommand('revoke', 'Revoke an API key on every replica', [
      idOption().makeOptionMandatory(),
      jsonOption(),
    ]),
  'set-limits': () =>
    keysCommand('set-limits', "Change a key's limits on every replica", [
      idOption().makeOptionMandatory(),
      rpmOption(),
      tokensOption(),
      jsonOption(),
    ]),
} as const;

type KeysAction = keyof typeof COMMANDS;

function describe(info: ApiKeyInfo): string {
  const rpm = info.limits.requestsPerMinute ?? 'unlimited';
  const tpd = info.limits.tokensPerDay ?? 'unlimited';
  const state =
    info.revokedAt === null ? 'active' : `revoked ${new Date(info.revokedAt).toISOString()}`;
  return `${info.id}  ${info.name}  rpm=${rpm}  tokens/day=${tpd}  scopes=${info.scopes.join(',')}  ${state}`;
}

/** `signal gateway keys create|list|revoke|set-limits`, on the file store or Redis. */
export async function runKeysCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): Promise<void> {
  const [action, ...rest] = argv;
  if (action === undefined || !(action in COMMANDS)) {
    throw new GatewayCliError('GATEWAY_CLI_USAGE', 'Unknown keys command.', {
      details: `signal gateway keys ${Object.keys(COMMANDS).join('|')}; got ${action ?? 'nothing'}`,
    });
  }
  const flags = parseWithEnv<KeyFlags>(COMMANDS[action as KeysAction](), rest, env);
  const store = await openGatewayStore(storeLocation(flags), 'admin');
  try {
    output(await runKeysAction(action as KeysAction, flags, store));
  } finally {
    await store.close();
  }
}

async function runKeysAction(
  action: KeysAction,
  flags: KeyFlags,
  store: GatewayStore,
): Promise<string> {
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;
  const limits = {
    ...(flags.rpm === undefined ? {} : { requestsPerMinute: limitValue(flags.rpm) }),
    ...(flags.tokensPerDay === undefined ? {} : { tokensPerDay: limitValue(flags.tokensPerDay) }),
  };
  switch (action) {
    case 'create': {
      const created = await store.createKey({
        name: flags.name!,
        limits: { requestsPerMinute: null, tokensPerDay: null, ...limits },
        ...(flags.scopes ? { scopes: flags.scopes } : {}),
      });
      return flags.json
        ? json({ id: created.info.id, key: created.key })
        : `${describe(created.info)}\nThe key (shown once; only its hash is stored):\n${created.key}\n`;
    }
    case 'list': {
      const keys = await store.listKeys();
      if (flags.json) return json(keys);
      return keys.length === 0 ? 'No API keys.\n' : `${keys.map(describe).join('\n')}\n`;
    }
    case 'revoke': {
      const info = await store.revokeKey(flags.id!);
      return flags.json ? json(info) : `${describe(info)}\n`;
    }
    case 'set-limits': {
      if (Object.keys(limits).length === 0) {
        throw new GatewayCliError('GATEWAY_CLI_USAGE', 'No limit to set.', {
          details: 'Pass --rpm and/or --tokens-per-day (a number, or none).',
        });
      }
      const info = await store.setKeyLimits(flags.id!, limits);
      return flags.json ? json(info) : `${describe(info)}\n`;
    }
  }
}
