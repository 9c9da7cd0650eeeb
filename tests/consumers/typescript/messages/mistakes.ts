// Mistakes users make, each with the message tsc must give (check-messages.mjs): a
// `// tsc at WORD: TEXT` line expects a diagnostic starting at WORD on the next line whose text
// includes TEXT. Any other diagnostic in this file fails the check.
import { ProximusClient } from "proximus-api";

// What @types/node declares for process.env (NodeJS.ProcessEnv): every variable may be unset.
declare const process: { env: Record<string, string | undefined> };

// An unchecked environment variable: the message names the option and the undefined.
// tsc at clientId: Type 'string | undefined' is not assignable to type 'string'.
new ProximusClient({ clientId: process.env.PROXIMUS_CLIENT_ID, clientSecret: process.env.PROXIMUS_CLIENT_SECRET });
// tsc at accessToken: Type 'string | undefined' is not assignable to type 'string'.
new ProximusClient({ accessToken: process.env.PROXIMUS_TOKEN });

// Two ways to authenticate at once.
// tsc at accessToken: 'accessToken' does not exist in type 'ClientCredentialsOptions'
new ProximusClient({ clientId: "id", clientSecret: "secret", accessToken: "token" });

const client = new ProximusClient({ accessToken: "token" });
// A misspelled per-call option: tsc suggests the right name.
// tsc at timeoutMS: Did you mean to write 'timeoutMs'?
await client.fmu.getStatus("0477 12 12 12", { timeoutMS: 5 });
// tsc at signall: 'signall' does not exist in type 'RequestOptions'
await client.tokens.get({ signall: AbortSignal.timeout(5) });
// tsc at logLevel: Type '"verbose"' is not assignable to type 'LogLevel'
new ProximusClient({ accessToken: "token", logLevel: "verbose" });
