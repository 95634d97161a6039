export function render(root: HTMLElement, html: string): void {
  root.innerHTML = html;
}
export const fmt = (cents: number): string => "$" + (cents / 100).toFixed(2);
