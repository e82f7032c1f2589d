extension DashboardTemplates {
    static let dora = """
        <h1>DORA <span class="muted">the last {{days}} days, since {{since}}</span></h1>
        <nav aria-label="Window"><ul class="inline-list">{{#windows}}<li><a href="/ui/dora?days={{days}}"{{#current}} aria-current="page"{{/current}}>{{days}} days</a></li>{{/windows}}</ul></nav>
        {{#empty}}<p class="empty">No deployment finished in this window. Deployments are rollouts that were promoted or rolled back (docs/incidents.md explains each figure).</p>{{/empty}}
        {{^empty}}
        {{#accuracy}}<p>{{accuracy}}</p>{{/accuracy}}
        {{#splits}}
        <h2>{{heading}}</h2>
        <div class="charts">
        {{#charts}}<figure><figcaption>{{title}}</figcaption>{{{svg}}}</figure>{{/charts}}
        </div>
        {{/splits}}
        {{/empty}}

        """
}
