// Created once by senior-backend scaffold and never overwritten: this file is yours.
import { createApp } from "./app";

// Read through globalThis so that the project compiles without @types/node.
const host = globalThis as unknown as {
  process: { env: Record<string, string | undefined> };
  console: { log(message: string): void };
};
const port = Number(host.process.env.PORT ?? "3000");
const address = host.process.env.HOST ?? "127.0.0.1";

createApp().listen(port, address, () => {
  host.console.log(`listening on http://${address}:${port}`);
});
