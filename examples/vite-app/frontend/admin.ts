// A second entry: it shares shared.ts with main.ts, so Vite puts that in a chunk of its own.
import { stamp } from './shared';

stamp('#admin', 'admin ran');
