// A reactive controller that re-renders its host whenever a call changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { JingleSession } from '../call/jingle-session.ts';

export class SessionController implements ReactiveController {
  private unsubscribe?: () => void;
  private session?: JingleSession;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Follows this session (or none) from now on. */
  follow(session: JingleSession | undefined): void {
    if (session === this.session) return;
    this.unsubscribe?.();
    this.session = session;
    this.unsubscribe = session?.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.session = undefined;
  }
}
