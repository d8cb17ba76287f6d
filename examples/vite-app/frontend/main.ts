// The page's entry: its own CSS, a chunk shared with admin.ts (imported statically, so
// preloaded) and a module imported on demand (fetched by Vite's preload helper when asked).
import './main.css';
import { stamp } from './shared';

stamp('#app', 'main ran');
const lazy = await import('./lazy');
lazy.show('#lazy');
