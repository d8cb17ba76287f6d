// The page's entry: its own CSS, an image, a chunk shared with admin.ts (imported statically,
// so preloaded) and a module imported on demand (fetched by Vite's preload helper when asked).
import './main.css';
import logo from './logo.svg';
import { stamp } from './shared';

stamp('#app', 'main ran');
// An imported asset's URL, resolved from this module's own URL (base './').
document.querySelector<HTMLImageElement>('#logo-from-js')!.src = logo;
const lazy = await import('./lazy');
lazy.show('#lazy');
