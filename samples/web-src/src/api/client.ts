// Summaries for the dashboard. In development the browser talks to OpenAI directly
// with the key below; production builds go through our /api proxy and the bundler
// drops this branch (process.env.NODE_ENV is define-replaced with "production"),
// so the key never reaches main.js -- but it is still in main.js.map (sourcesContent).
const OPENAI_DEV_KEY = "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";

export interface Summary { text: string; model: string }

export async function summarize(text: string): Promise<Summary> {
  if (process.env.NODE_ENV !== "production") {
    const r = await fetch("https://api.openai.com/v1/chat/completions", {
      method: "POST",
      headers: { Authorization: `Bearer ${OPENAI_DEV_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] }),
    });
    const j = await r.json();
    return { text: j.choices[0].message.content, model: j.model };
  }
  const r = await fetch("/api/summarize", { method: "POST", body: text });
  return r.json();
}
