// Loaded with import(): not in the page's tags; Vite's preload helper fetches it and its CSS.
import './lazy.css';
import { stamp } from './shared';

export function show(selector: string): void {
  stamp(selector, 'lazy loaded');
}
