// `event.locals.auth`, typed: the one declaration an app adds for authnzerver/sveltekit.
import type { AuthLocals } from 'authnzerver/sveltekit';

declare global {
  namespace App {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- App.Locals is extended, by design
    interface Locals extends AuthLocals {}
  }
}

export {};
