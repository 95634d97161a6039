import { summarize } from "./api/client";
import { charge, STRIPE_PUBLISHABLE_KEY } from "./api/payments";
import { render, fmt } from "./ui";

declare const Stripe: (key: string) => { elements(): unknown };

const stripe = Stripe(STRIPE_PUBLISHABLE_KEY);
document.querySelector("#pay")?.addEventListener("click", async () => {
  await charge(1999, "tok_visa");
  render(document.body, `<p>Paid ${fmt(1999)}</p>`);
});
document.querySelector("#sum")?.addEventListener("click", async () => {
  const s = await summarize(document.body.innerText);
  render(document.body, `<pre>${s.text}</pre>`);
});
console.debug(stripe.elements());
