// Checkout. The publishable key is meant to ship; the secret key is NOT.
export const STRIPE_PUBLISHABLE_KEY = "pk_live_51OKaIDuCWwi7arE9kfMGbZBXTSYe9Hgf9aylA3FKIP88wvsaKqwRm3F43QvJhdnenQcbh4KtdatZK7646Ej8dndZnmbLvxXAw8";
const STRIPE_SECRET_KEY = "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";

export async function charge(amountCents: number, source: string): Promise<unknown> {
  const body = new URLSearchParams({ amount: String(amountCents), currency: "usd", source });
  const r = await fetch("https://api.stripe.com/v1/charges", {
    method: "POST",
    headers: { Authorization: "Bearer " + STRIPE_SECRET_KEY, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  if (!r.ok) throw new Error("charge failed: " + r.status);
  return r.json();
}
