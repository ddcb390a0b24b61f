import Foundation
import TinyGPT

/// The site's own stylesheet and script (`assets/gptx.css`, `assets/gptx.js`) and the KaTeX copy
/// they typeset formulas with. Nothing is fetched from elsewhere: the folder works from `file://`.
enum SiteAssets {
    /// Where Debian's `libjs-katex` puts KaTeX; `GPTX_KATEX_DIR` overrides it.
    static var katexDirectory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["GPTX_KATEX_DIR"] ?? "/usr/share/javascript/katex")
    }

    /// The KaTeX files the site needs, relative to `katexDirectory`: script, stylesheet and the fonts it names.
    static func katexFiles() throws(UserError) -> [String] {
        let dir = katexDirectory
        let fm = FileManager.default
        guard fm.fileExists(atPath: dir.appendingPathComponent("katex.min.js").path),
              fm.fileExists(atPath: dir.appendingPathComponent("katex.min.css").path),
              let fonts = try? fm.contentsOfDirectory(atPath: dir.appendingPathComponent("fonts").path), !fonts.isEmpty
        else {
            throw UserError("\(dir.path): KaTeX (katex.min.js, katex.min.css, fonts/) is missing: install Debian's libjs-katex (scripts/setup does) or set GPTX_KATEX_DIR")
        }
        return ["katex.min.js", "katex.min.css"] + fonts.filter { $0.hasPrefix("KaTeX_") }.sorted().map { "fonts/" + $0 }
    }

    static let css = #"""
    :root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#595c63;--line:#d0d0d5;--soft:#f4f4f7;--link:#0b5cad;--mark:#b3261e}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e6e9;--bg:#131316;--muted:#a3a3ad;--line:#3b3b42;--soft:#222228;--link:#8ab8ff;--mark:#ff8a80}}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;font:16px/1.65 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
    main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}
    a{color:var(--link)}
    .site-nav{display:flex;flex-wrap:wrap;gap:.3rem 1.1rem;align-items:center;padding:.55rem 1.25rem;border-bottom:1px solid var(--line);font-size:.92rem;background:var(--bg)}
    .site-nav .spacer{flex:1}
    .site-nav button{font:inherit;padding:.15rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--soft);color:var(--fg);cursor:pointer}
    img{max-width:100%;height:auto}
    .paper{background:#fff;border-radius:4px}
    figure{margin:1.6rem 0}
    figure.fig img{display:block;margin:0 auto}
    figcaption{font-size:.95rem;color:var(--muted);margin-top:.5rem}
    .fig-links{font-size:.85rem;color:var(--muted);margin-top:.2rem}
    details.embed{margin-top:.3rem}
    details.embed summary{cursor:pointer;color:var(--link)}
    .snippet{display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0}
    .snippet span{min-width:5.5rem;font-weight:600}
    .snippet textarea{flex:1;min-width:0;font:.8rem/1.4 ui-monospace,Menlo,Consolas,monospace;color:var(--fg);background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.3rem;resize:vertical}
    .snippet button{font:inherit;padding:.15rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--soft);color:var(--fg);cursor:pointer}
    table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto;max-width:100%}
    th,td{border:1px solid var(--line);padding:.3rem .6rem;text-align:left}
    th{background:var(--soft)}
    code{font:.9em ui-monospace,Menlo,Consolas,monospace;background:var(--soft);padding:.1em .3em;border-radius:3px;overflow-wrap:anywhere}
    pre{background:var(--soft);padding:.8rem;overflow-x:auto}
    pre code{padding:0;overflow-wrap:normal}
    .math.display{display:block;text-align:center;margin:1rem 0;overflow-x:auto;overflow-y:hidden}
    blockquote{border-left:4px solid var(--line);margin:1rem 0;padding-left:1rem;color:var(--muted)}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem;padding:0;margin:1rem 0;list-style:none}
    .cards a{display:block;height:100%;border:1px solid var(--line);border-radius:8px;overflow:hidden;text-decoration:none;color:inherit}
    .cards a:hover,.cards a:focus{border-color:var(--link)}
    .cards img{display:block;width:100%;aspect-ratio:16/9;object-fit:contain;background:#fff}
    .cards .name{display:block;padding:.5rem .75rem}
    .cards .num{display:block;font-size:.8rem;color:var(--muted)}
    .walks li{margin:.2rem 0}
    .count{color:var(--muted);font-size:.9rem}
    .keys{display:none;color:var(--muted);font-size:.85rem}
    body.presenter main{max-width:none;padding:0}
    .counter{font-variant-numeric:tabular-nums;font-weight:600}
    .present-only{display:none}
    .js-present .present-only{display:inline-block}
    .frame{display:grid;grid-template-columns:minmax(0,1fr) minmax(16rem,26rem);gap:1.5rem;align-items:center;padding:1rem 1.5rem;border-bottom:1px solid var(--line)}
    .frame .frame-img{display:flex;justify-content:center;align-items:center;min-width:0}
    .frame img{width:100%;height:auto;max-height:calc(100vh - 5rem);object-fit:contain;cursor:pointer}
    .frame .text{font-size:1.2rem;line-height:1.55}
    .frame .frame-no{font-weight:600;color:var(--muted);margin:0 0 .4rem}
    .frame .frame-links{font-size:.85rem;color:var(--muted)}
    @media (max-width:60rem),(max-aspect-ratio:4/3){.frame{grid-template-columns:minmax(0,1fr)}.frame img{max-height:calc(100vh - 13rem)}.frame .text{font-size:1.05rem}}
    .js-present body.presenter{height:100vh;overflow:hidden;display:flex;flex-direction:column}
    .js-present body.presenter main{flex:1;min-height:0;display:flex;flex-direction:column}
    .js-present .present-title{font-size:1.05rem;line-height:1.3;margin:.4rem 1.5rem 0}
    .js-present .keys{display:block;margin:0 1.5rem;font-size:.8rem}
    @media (max-width:40rem){.js-present .keys{display:none}}
    .js-present .frame{display:none}
    .js-present .frame.current{display:grid;flex:1;min-height:0;grid-template-rows:minmax(0,1fr);border:0}
    .js-present .frame.current .frame-img{height:100%;min-height:0}
    .js-present .frame.current img{max-height:100%}
    @media (max-width:60rem),(max-aspect-ratio:4/3){.js-present body.presenter{height:auto;overflow:auto;display:block}.js-present .frame.current{grid-template-rows:auto;min-height:calc(100vh - 3rem);align-content:start}.js-present .frame.current .frame-img{height:auto}.js-present .frame.current img{max-height:calc(100vh - 13rem)}}
    @media print{
    :root{--fg:#000;--bg:#fff;--muted:#333;--line:#999;--soft:#f2f2f2;--link:#000}
    .site-nav,details.embed,.snippet,.present-only,.keys{display:none!important}
    .frame,.js-present .frame,.js-present .frame.current{display:grid!important;grid-template-columns:minmax(0,1fr);height:auto;min-height:0;break-after:page;page-break-after:always;border:0;padding:0}
    .frame img{max-height:70vh}
    .js-present body.presenter{overflow:visible}
    }
    """#

    static let js = #"""
    // gptx site: typesets formulas with the site's KaTeX copy, steps through presenter frames,
    // fills in embed snippets. Nothing is fetched; without JavaScript every page still reads in full.
    (function () {
      "use strict";
      var doc = document;

      function typeset() {
        if (!window.katex) return;
        var els = doc.querySelectorAll(".math");
        for (var i = 0; i < els.length; i++) {
          var el = els[i];
          try {
            window.katex.render(el.textContent, el, { displayMode: el.classList.contains("display"), throwOnError: false, strict: "ignore" });
            el.classList.add("typeset");
          } catch (e) { el.classList.add("math-error"); }
        }
      }

      // Without --base-url the snippets name the figure relative to this page; make that absolute.
      function embeds() {
        var boxes = doc.querySelectorAll("textarea[data-rel]");
        for (var i = 0; i < boxes.length; i++) {
          var box = boxes[i], rel = box.getAttribute("data-rel");
          box.value = box.value.split(rel).join(new URL(rel, doc.baseURI).href);
        }
        var buttons = doc.querySelectorAll("button[data-copy]");
        for (var j = 0; j < buttons.length; j++) {
          buttons[j].addEventListener("click", function () {
            var box = this.parentNode.querySelector("textarea");
            box.select();
            if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(box.value).catch(function () {});
            else try { doc.execCommand("copy"); } catch (e) {}
            this.blur();
          });
        }
      }

      function presenter() {
        if (!doc.body.classList.contains("presenter")) return;
        var frames = doc.querySelectorAll(".frame"), n = frames.length, current = 0;
        if (!n) return;
        var counter = doc.querySelector(".counter");
        doc.documentElement.classList.add("js-present");
        function fromHash() {
          var k = parseInt(location.hash.slice(1), 10);
          return k >= 1 && k <= n ? k : 1;
        }
        function show(k, write) {
          k = Math.max(1, Math.min(n, k));
          if (current) frames[current - 1].classList.remove("current");
          current = k;
          frames[k - 1].classList.add("current");
          if (counter) counter.textContent = k + " / " + n;
          // The fragment names the frame's section, which the browser scrolls to; one frame is shown, so start at the top.
          window.scrollTo(0, 0);
          if (write && location.hash !== "#" + k) {
            try { history.replaceState(null, "", "#" + k); } catch (e) { location.replace("#" + k); }
          }
        }
        function fullScreen() {
          if (doc.fullscreenElement) { if (doc.exitFullscreen) doc.exitFullscreen().catch(function () {}); }
          else if (doc.documentElement.requestFullscreen) doc.documentElement.requestFullscreen().catch(function () {});
        }
        doc.addEventListener("keydown", function (e) {
          if (e.altKey || e.ctrlKey || e.metaKey) return;
          var t = e.target && e.target.tagName;
          if (t === "TEXTAREA" || t === "INPUT" || t === "SELECT") return;
          var k = e.key, to = null;
          if (k === "ArrowRight" || k === " " || k === "Spacebar" || k === "PageDown") to = current + 1;
          else if (k === "ArrowLeft" || k === "PageUp") to = current - 1;
          else if (k === "Home") to = 1;
          else if (k === "End") to = n;
          else if (k === "f" || k === "F") { e.preventDefault(); fullScreen(); return; }
          if (to !== null) { e.preventDefault(); show(to, true); }
        });
        window.addEventListener("hashchange", function () { show(fromHash(), false); });
        var steps = doc.querySelectorAll("[data-step]");
        for (var i = 0; i < steps.length; i++) {
          steps[i].addEventListener("click", function () { show(current + parseInt(this.getAttribute("data-step"), 10), true); this.blur(); });
        }
        var full = doc.querySelector("[data-fullscreen]");
        if (full) full.addEventListener("click", function () { fullScreen(); this.blur(); });
        var imgs = doc.querySelectorAll(".frame img");
        for (var j = 0; j < imgs.length; j++) imgs[j].addEventListener("click", function () { show(current + 1, true); });
        show(fromHash(), location.hash !== "");
        // The browser scrolls to the fragment's section once the page has loaded: undo that too.
        window.addEventListener("load", function () { setTimeout(function () { window.scrollTo(0, 0); }, 0); });
      }

      typeset();
      embeds();
      presenter();
    })();
    """#
}
