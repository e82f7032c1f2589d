extension DashboardTemplates {
    /// Every page's frame: the header with the sections and the signed-in identity, then the page's body.
    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Blastwall</title>
        <link rel="icon" href="/ui/assets/favicon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/ui/assets/dashboard.css">
        <script src="/ui/assets/dashboard.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="top">
        <a class="brand" href="/ui/">Blastwall</a>
        {{#user}}
        <nav aria-label="Sections">
        <ul>
        {{#sections}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/sections}}
        </ul>
        </nav>
        <form class="identity" method="post" action="/ui/sign-out">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{name}} <span class="muted">({{kind}}, {{role}})</span></span>
        <button type="submit">Sign out</button>
        </form>
        {{/user}}
        </header>
        <main id="main">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{{body}}}
        </main>
        </body>
        </html>

        """

    /// A page that went wrong: what, and what to do.
    static let problem = """
        <h1>{{heading}}</h1>
        <p class="problem" role="alert">{{message}}</p>
        <p><a href="{{back}}">{{backLabel}}</a></p>

        """

    static let signIn = """
        <h1>Sign in</h1>
        <p>Sign in with your Blastwall token: the one <code>blastwall identity create</code> printed, or
        <code>blastwall admin bootstrap</code> for the first admin. The token is exchanged for a session; it is not kept in the browser.</p>
        {{#error}}<p class="problem" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/ui/sign-in" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required autofocus>
        <button type="submit">Sign in</button>
        </form>

        """
}
