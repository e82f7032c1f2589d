extension DashboardTemplates {
    static let incidents = """
        <h1>Incidents</h1>
        {{#empty}}<p class="empty">No incident yet. Point Alertmanager's webhook at <code>/api/v1/incidents/alertmanager</code>, or declare one with <code>blastwall incident open</code> (docs/incidents.md).</p>{{/empty}}
        {{^empty}}
        {{#groups}}
        <h2>{{heading}}</h2>
        {{^hasRows}}<p class="empty">{{none}}</p>{{/hasRows}}
        {{#hasRows}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Incident</th><th scope="col">Service</th><th scope="col">Began</th><th scope="col">Top suspect</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td><a href="/ui/incidents/{{id}}">#{{id}} {{title}}</a>{{#severity}} <span class="badge">{{severity}}</span>{{/severity}} <span class="badge incident-{{state}}">{{state}}</span>{{#restored}} <span class="muted">restored in {{restored}}</span>{{/restored}}</td>
        <td>{{service}}</td>
        <td>{{age}}</td>
        <td>{{#top}}{{top}}<br><span class="muted">{{topWhy}}</span>{{/top}}{{^top}}<span class="muted">none: nothing Blastwall recorded changed before it</span>{{/top}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        {{/groups}}
        {{/empty}}

        """

    static let incident = """
        <h1>Incident #{{id}} <span class="muted">{{title}}</span></h1>
        {{#open}}<p><span class="live" data-live="5">live: refreshes every 5 seconds</span></p>{{/open}}
        <dl class="facts">
        {{#facts}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/facts}}
        </dl>
        <h2>Suspects <span class="muted">ranked {{rankedAt}}</span></h2>
        {{^hasSuspects}}<p class="empty">No suspect: nothing Blastwall recorded changed in the window before the incident began on the services it depends on.</p>{{/hasSuspects}}
        {{#hasSuspects}}
        <ol class="suspects">
        {{#suspects}}
        <li>
        <p><strong>{{reference}}</strong> <span class="badge">{{kind}}</span> score {{score}}{{#confirmed}} <span class="badge state-satisfied">confirmed cause</span>{{/confirmed}}
        {{#change}} · change <a href="/ui/changes/{{change}}">#{{change}}</a>{{/change}}{{#rollout}} · rollout <a href="/ui/rollouts/{{rollout}}">#{{rollout}}</a>{{/rollout}}</p>
        <p>{{explanation}}</p>
        {{#hasTerms}}
        <details><summary>How the score is made</summary>
        <table>
        <thead><tr><th scope="col">Term</th><th scope="col">Factor</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#terms}}<tr><td>{{name}}</td><td>×{{factor}}</td><td>{{reason}}</td></tr>{{/terms}}</tbody>
        </table>
        </details>
        {{/hasTerms}}
        {{#canRollBack}}
        <form method="post" action="/ui/incidents/{{id}}/rollback">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="suspect" value="{{rank}}">
        <button type="submit" class="danger" data-confirm="{{confirm}}">{{rollbackLabel}}</button>
        </form>
        {{/canRollBack}}
        </li>
        {{/suspects}}
        </ol>
        {{#hasMore}}<p class="muted">{{more}} more suspects are kept with the incident: <code>blastwall incident suspects {{id}}</code>.</p>{{/hasMore}}
        {{/hasSuspects}}
        {{#hasUnrelated}}
        <h2>On services it does not depend on</h2>
        <ul>{{#unrelated}}<li>{{reference}}: {{explanation}}</li>{{/unrelated}}</ul>
        {{/hasUnrelated}}
        <h2>Alerts</h2>
        {{^hasAlerts}}<p class="empty">Declared by hand: no alert.</p>{{/hasAlerts}}
        {{#hasAlerts}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Alert</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Until</th><th scope="col">Summary</th></tr></thead>
        <tbody>{{#alerts}}<tr><td>{{name}}</td><td>{{status}}</td><td>{{startsAt}}</td><td>{{endsAt}}</td><td>{{summary}}</td></tr>{{/alerts}}</tbody>
        </table>
        </div>
        {{/hasAlerts}}
        <p class="muted">The post-incident record, with the timeline: <code>blastwall incident report {{id}} --format markdown</code>.</p>

        """
}
