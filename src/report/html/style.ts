/** The HTML report's stylesheet, inlined so the page needs no network (system fonts only). */
export const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --bg-soft: #f6f8fa;
  --red: #d1242f; --green: #1a7f37; --yellow: #bf8700; --gray: #6e7781; --blue: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--fg); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 4px 0 2px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 15px; margin: 20px 0 8px; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.banner { border-radius: 8px; padding: 12px 16px; font-weight: 600; font-size: 15px; border: 1px solid; }
.banner.fail { background: #ffebe9; border-color: #ff818266; color: #82071e; }
.banner.pass { background: #dafbe1; border-color: #4ac26b66; color: #116329; }
.banner.inconclusive { background: #fff8c5; border-color: #d4a72c66; color: #7d4e00; }
.meta { display: grid; grid-template-columns: 160px 1fr; gap: 4px 16px; margin: 16px 0 0; padding: 12px 16px;
  background: var(--bg-soft); border: 1px solid var(--border); border-radius: 8px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--border); padding: 8px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.prompt { color: var(--muted); font-size: 12px; max-width: 300px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.regression { background: var(--red); } .badge.improvement { background: var(--green); }
.badge.unchanged { background: var(--gray); } .badge.inconclusive { background: var(--yellow); }
.badge.new, .badge.removed { background: none; color: inherit; border: 1px solid currentColor; }
.cell-value { font-variant-numeric: tabular-nums; font-weight: 600; }
.cell-sub { color: var(--muted); font-size: 12px; }
.grid-plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; }
.card h3 { margin: 0 0 4px; font-size: 13px; }
.card.regression { border-color: #ff8182; }
svg.plot { display: block; height: auto; }
svg .grid { stroke: #eaeef2; stroke-width: 1; }
svg .unity { stroke: #8c959f; stroke-width: 1.5; }
svg .threshold { stroke: var(--red); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .threshold-label { fill: var(--red); }
svg .stripe { fill: #f6f8fa; }
svg .divider { stroke: var(--border); }
svg text { font: 12px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; fill: var(--fg); }
svg text.tick { font-size: 11px; fill: var(--muted); }
svg text.value { font-size: 12px; font-variant-numeric: tabular-nums; }
svg text.side-label { font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stats { margin: 6px 0; }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0 10px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px; vertical-align: -1px; }
ul.warnings { padding-left: 18px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--border); padding-top: 12px; }
`;
