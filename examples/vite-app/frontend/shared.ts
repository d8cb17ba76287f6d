// A chunk both entries import: its CSS is the chunk's, linked by viteTags() for either entry.
import './shared.css';

/** Writes into the element the selector finds, so a test can see the module ran. */
export function stamp(selector: string, text: string): void {
  const element = document.querySelector(selector);
  if (element !== null) element.textContent = text;
}
