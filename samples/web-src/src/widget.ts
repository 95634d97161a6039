// Embeddable help widget: a separate bundle with an inline (data: URL) source map.
import { summarize } from "./api/client";

export function mountHelp(el: HTMLElement): void {
  el.addEventListener("click", async () => {
    el.textContent = (await summarize(document.title)).text;
  });
}
(window as unknown as { mountHelp: typeof mountHelp }).mountHelp = mountHelp;
