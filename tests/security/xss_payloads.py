"""Hostile article bodies: Markdown an attacker might save as an article.

Each payload sets ``window.__xss`` (directly, through ``alert``'s stand-in, or by
DOM clobbering) if any part of it ever runs, so a browser test can render them
into a real page and check that ``window.__xss`` stays unset. Keep the names
stable: they are test ids.
"""

XSS = "window.__xss=1"

PAYLOADS: list[tuple[str, str]] = [
    ("script tag", f"<script>{XSS}</script>"),
    ("script tag inside a paragraph", f"Keep your hips level <script>{XSS}</script> and run."),
    ("img onerror", f'<img src=x onerror="{XSS}">'),
    ("img onerror without quotes or spaces", f"<img/src=x/onerror={XSS}>"),
    ("svg onload", f'<svg onload="{XSS}"></svg>'),
    ("svg link with xlink:href", f'<svg><a xlink:href="javascript:{XSS}"><text y="20">tap</text></a></svg>'),
    ("iframe srcdoc", f'<iframe srcdoc="<script>parent.{XSS}</script>"></iframe>'),
    ("javascript link", f"[tap](javascript:{XSS})"),
    ("javascript link in mixed case", f"[tap](JaVaScRiPt:{XSS})"),
    ("javascript link with a decimal entity", f"[tap](&#106;avascript:{XSS})"),
    ("javascript link with a hex entity", f"[tap](&#x6A;avascript:{XSS})"),
    ("javascript link with an encoded colon", f"[tap](javascript&colon;{XSS})"),
    ("javascript link with a tab", f"[tap](java\tscript:{XSS})"),
    ("javascript link with a tab in angle brackets", f"[tap](<java\tscript:{XSS}>)"),
    ("javascript link with an encoded newline", f"[tap](java&#10;script:{XSS})"),
    ("javascript link with leading space", f"[tap](<  javascript:{XSS}>)"),
    ("raw anchor with javascript href", f'<a href="javascript:{XSS}">tap</a>'),
    ("data html link", "[tap](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)"),
    ("vbscript link", f"[tap](vbscript:{XSS})"),
    ("image with javascript source", f"![photo](javascript:{XSS})"),
    ("image with data svg source", "![photo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xIi8+)"),
    ("image with onerror in its title", f'![photo](missing.png "onerror={XSS}")'),
    ("image breaking out of its title", f'![photo](missing.png "x" onerror="{XSS}")'),
    ("image with srcset", f'<img srcset="javascript:{XSS}">'),
    (
        "anchor with style and onmouseover",
        (
            '<a href="https://example.com" style="position:fixed;top:0;left:0;width:100%;height:100%" '
            f'onmouseover="{XSS}">x</a>'
        ),
    ),
    ("style tag", f'<style>body {{ background: url("javascript:{XSS}") }}</style>'),
    ("math maction", f'<math><maction actiontype="statusline" xlink:href="javascript:{XSS}">x</maction></math>'),
    ("form with javascript action", f'<form action="javascript:{XSS}"><button>Save</button></form>'),
    ("button formaction", f'<button formaction="javascript:{XSS}">Save</button>'),
    ("input autofocus onfocus", f'<input autofocus onfocus="{XSS}">'),
    ("details ontoggle", f'<details open ontoggle="{XSS}"><summary>x</summary></details>'),
    ("object data", f'<object data="javascript:{XSS}"></object>'),
    ("embed src", f'<embed src="javascript:{XSS}">'),
    ("base href", f'<base href="javascript:{XSS}//">\n\n[relative](/drills/)'),
    ("meta refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{XSS}">'),
    ("javascript autolink", f"<javascript:{XSS}>"),
    ("reference link to javascript", f"[tap][evil]\n\n[evil]: javascript:{XSS}"),
    ("reference image to javascript", f"![photo][evil]\n\n[evil]: javascript:{XSS}"),
    ("forged embed placeholder", f'<div data-embed="drill" data-ref="x" onclick="{XSS}">tap</div>'),
    (
        "forged embed placeholder in a link title",
        f'[x](/a "<div data-embed="drill" data-ref="x" onclick="{XSS}"></div>")',
    ),
    ("embed line with attribute injection", f'[[drill:x" onclick="{XSS}]]'),
    ("comment that closes early", f"<!--><script>{XSS}</script>-->"),
    ("comment with bang close", f"<!-- --!><img src=x onerror={XSS}>-->"),
    ("noscript mutation", f'<noscript><p title="</noscript><img src=x onerror={XSS}>"></noscript>'),
    ("link breaking out of href", f'[a](https://x" onmouseover="{XSS})'),
    ("link breaking out of href in angle brackets", f'[a](<https://x" onmouseover="{XSS}>)'),
    ("backtick attribute quoting", f"<img src=`x` onerror={XSS}>"),
    ("script in a table cell", f"| drill |\n|---|\n| <script>{XSS}</script> |"),
    ("script in a fenced code block", f"```html\n<script>{XSS}</script>\n```"),
    ("heading that clobbers window.__xss", "# __xss"),
    ("anchor name that clobbers window.__xss", '<a name="__xss" id="__xss">x</a>'),
]
