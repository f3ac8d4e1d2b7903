/**
 * PyTorch's legacy Chrome exporter (`torch.autograd.profiler.profile(use_kineto=False).export_chrome_trace`)
 * formats every event as `{"name": "<name>", "ph": "X", …}` with the name written raw: a `"` or `\` in a
 * `record_function` name makes the file invalid JSON. Such a file is recognised by that exact layout and
 * its names re-escaped; anything else is left to fail as invalid JSON.
 */
const LEGACY_START = /^\s*\[\s*\{"name": "/;
const LEGACY_NAME = /\{"name": "([\s\S]*?)", "ph": "/g;

/** The text with every legacy name re-escaped and how many names needed it; undefined when the layout is not the legacy exporter's. */
export function repairLegacyTorchNames(text: string): { text: string; names: number } | undefined {
  if (!LEGACY_START.test(text)) return undefined;
  let names = 0;
  const repaired = text.replace(LEGACY_NAME, (whole, name: string) => {
    const quoted = JSON.stringify(name);
    if (quoted.length === name.length + 2) return whole;
    names++;
    return `{"name": ${quoted}, "ph": "`;
  });
  return names === 0 ? undefined : { text: repaired, names };
}
