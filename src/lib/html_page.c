/*
 * html_page.c - the one visual language of vmctr's HTML reports (advise and
 * portfolio): the page frame and its stylesheet, inline so a page stays
 * self-contained (no fonts or external assets, no script a page needs;
 * mail it, attach it, print it).
 *
 * Layout rules the browser test (tests/html/browser.js) holds us to: no
 * horizontal page scroll from 360 px up (grids collapse to one column, long
 * words such as digests and paths break, wide tables scroll inside their own
 * .scroll box); on paper (A4 or Letter) headings stay with what follows,
 * charts and cards are never split, table headers repeat and folded
 * <details> lists are left out.
 */
#include "vmctr/report.h"
#include "util/buf.h"

static const char CSS[] =
    ":root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee6;--bg:#fff;--panel:#f6f8fa;--accent:#1f6feb;"
    "--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;"
    "--vm:#3b6ea5;--container:#2a9d8f;--hybrid:#8e6cbf;--microvm:#d08a2e;--none:#8c95a3}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,\"Segoe UI\","
    "Roboto,\"Helvetica Neue\",Arial,sans-serif;overflow-wrap:break-word}\n"
    "main{max-width:1040px;margin:0 auto;padding:20px 14px 40px}\n"
    "@media (min-width:720px){main{padding:32px 24px 48px}}\n"
    "h1{font-size:26px;line-height:1.25;margin:0 0 4px}h2{font-size:20px;margin:32px 0 12px;padding-bottom:6px;"
    "border-bottom:1px solid var(--line)}h3{font-size:16px;margin:22px 0 8px}h4{font-size:15px;margin:18px 0 6px}\n"
    ".meta{color:var(--muted);font-size:13px;margin:0;overflow-wrap:anywhere}\n"
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}\n"
    ".meta .mono{overflow-wrap:anywhere}\n"
    "i.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}\n"
    ".howto{background:#f0f6ff;border:1px solid #c8dcf7;border-radius:8px;padding:10px 14px;margin:16px 0;"
    "font-size:14px}.howto p{margin:4px 0}\n"
    ".verdict{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:20px 0}\n"
    ".card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:0}\n"
    ".card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
    ".card .v{font-size:20px;font-weight:600;overflow-wrap:anywhere}\n"
    ".card.main{border-left:4px solid var(--accent)}\n"
    ".meter{height:8px;background:var(--line);border-radius:4px;margin-top:6px;overflow:hidden}\n"
    ".meter span{display:block;height:100%;background:var(--accent)}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px}\n"
    "figure{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px;"
    "min-width:0}\n"
    "figcaption{font-weight:600;font-size:14px;margin-bottom:6px}\n"
    "figure .note{color:var(--muted);font-size:12px;margin:6px 0 0}\n"
    "svg{display:block;width:100%;height:auto;max-width:640px}\n"
    "svg text{font:12px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;fill:#1d2430}\n"
    "svg .axis{stroke:#8c95a3;stroke-width:1}svg .grid{stroke:#dfe3e9;stroke-width:1}\n"
    "svg .tick{font-size:10px;fill:#5b6472}svg .val{font-size:11px}\n"
    "svg .win{font-weight:700}svg .out{fill:#8c95a3}svg .cur{fill:none;stroke:#1d2430;stroke-width:2}\n"
    ".p-vm{fill:var(--vm);background:var(--vm)}.p-container{fill:var(--container);background:var(--container)}"
    ".p-hybrid{fill:var(--hybrid);background:var(--hybrid)}.p-microvm{fill:var(--microvm);background:var(--microvm)}"
    ".p-none{fill:var(--none);background:var(--none)}"
    ".plat{fill:#6e7b8f}.plat.win{fill:var(--accent)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;color:var(--muted);margin:6px 0 0}\n"
    ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}\n"
    ".scroll{overflow-x:auto;max-width:100%;margin:8px 0}\n"
    "table{width:100%;border-collapse:collapse;font-size:14px;margin:0}\n"
    "th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}\n"
    "th{background:var(--panel);font-weight:600;font-size:13px}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.wide{min-width:640px}\n"
    ".pos{color:var(--ok)}.neg{color:var(--bad)}.zero{color:var(--muted)}\n"
    ".ref{color:var(--muted);font-size:13px}.nw{white-space:nowrap}.because .ref{display:block}\n"
    ".because{margin:0;padding:0;list-style:none;font-size:13px}\n"
    ".badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:10px;border:1px solid var(--line);"
    "background:#fff;white-space:nowrap}\n"
    ".badge.bad{color:var(--bad);border-color:#f1aeb5}.badge.ok{color:var(--ok);border-color:#a7d8b4}"
    ".badge.warn{color:var(--warn);border-color:#e7cf8e}\n"
    ".blocker{border-left:4px solid var(--bad);background:#fff5f5;padding:8px 12px;margin:8px 0;border-radius:4px}\n"
    ".whatif{border-left:4px solid var(--warn);background:#fffaf0}\n"
    "details{margin:8px 0}summary{cursor:pointer;color:var(--accent);font-size:14px}\n"
    "ul.plain{padding-left:20px}ul.plain li{margin:4px 0}\n"
    "nav.filter{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0;font-size:13px}\n"
    "nav.filter a{border:1px solid var(--line);border-radius:12px;padding:2px 10px;text-decoration:none;"
    "color:var(--fg)}\n"
    "section.component{border:1px solid var(--line);border-radius:8px;padding:4px 14px 16px;margin:20px 0}\n"
    "footer{margin-top:40px;color:var(--muted);font-size:12px}\n"
    ".sliders form{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:4px 18px}"
    ".sliders form div{display:flex;align-items:center;gap:8px}.sliders label{min-width:6em}"
    ".sliders input{flex:1;min-width:0}"
    ".sl-verdict{font-weight:600}\n"
    "@media (max-width:600px){body{font-size:14px}table{font-size:13px}th,td{padding:5px 6px}"
    ".card .v{font-size:18px}h1{font-size:22px}}\n"
    "@media print{@page{margin:12mm}body{font-size:9.5pt;line-height:1.35}main{max-width:none;padding:0}"
    "h1{font-size:18pt}h2{font-size:13pt;margin:16pt 0 6pt}h3{font-size:11pt}"
    "table{font-size:8.5pt}th,td{padding:2pt 4pt}.ref,.because,code,.mono{font-size:8pt}"
    ".card{padding:6pt 8pt}.card .v{font-size:12pt}.verdict{margin:8pt 0;gap:6pt}"
    "figure{padding:6pt}.howto{padding:4pt 8pt;font-size:8.5pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h1,h2,h3,h4,figcaption,summary{break-after:avoid;page-break-after:avoid}"
    "figure,.card,.blocker,.howto,tr,li,svg{break-inside:avoid;page-break-inside:avoid}"
    "thead{display:table-header-group}.sliders{display:none}"
    "details:not([open])>:not(summary){display:none}summary{color:inherit}"
    ".scroll{overflow:visible}table.wide{min-width:0}"
    "section.component{border:none;padding:0}"
    ".charts{grid-template-columns:1fr 1fr}a{color:inherit;text-decoration:none}nav.filter{display:none}}\n";

void vm_html_open(vm_buf *b, const char *title)
{
    vm_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"vmctr " VMCTR_VERSION "\">\n<title>");
    vm_buf_xml(b, title);
    vm_buf_puts(b, "</title>\n<style>\n");
    vm_buf_put(b, CSS, sizeof CSS - 1);
    vm_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

void vm_html_close(vm_buf *b) { vm_buf_puts(b, "</main>\n</body>\n</html>\n"); }
