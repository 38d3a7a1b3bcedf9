import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/api.ts';

/** The backend's event bus; each door (IPC, SSE) subscribes and forwards. */
export class BackendEvents {
  private readonly emitter = new EventEmitter();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', name, payload);
  }

  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
