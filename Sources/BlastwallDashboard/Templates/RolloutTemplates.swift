extension DashboardTemplates {
    /// Active rollouts first, then the recent ones.
    static let rollouts = """
        <h1>Rollouts</h1>
        {{#empty}}<p class="empty">No rollout yet. Start one with <code>blastwall rollout start FILE</code> (docs/rollouts.md).</p>{{/empty}}
        {{^empty}}
        {{#groups}}
        <h2>{{heading}}</h2>
        {{^hasRows}}<p class="empty">{{none}}</p>{{/hasRows}}
        {{#hasRows}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Rollout</th><th scope="col">Phase</th><th scope="col">Step</th><th scope="col">Canary weight</th><th scope="col">Change</th><th scope="col">Started</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td><a href="/ui/rollouts/{{id}}">#{{id}} {{service}} {{version}}</a> <span class="muted">from {{stable}}</span>{{#drill}} <span class="badge">drill</span>{{/drill}}</td>
        <td><span class="badge phase-{{phase}}">{{phaseLabel}}</span>{{#verdict}} <span class="muted">last tick: {{verdict}}</span>{{/verdict}}</td>
        <td>{{step}}</td>
        <td>{{weight}}</td>
        <td>{{#change}}<a href="/ui/changes/{{change}}">#{{change}}</a>{{/change}}</td>
        <td>{{when}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        {{/groups}}
        {{/empty}}

        """

    /// One rollout, live while it runs.
    static let rollout = """
        <h1>Rollout #{{id}} <span class="muted">{{service}} {{version}}</span></h1>
        <p><span class="badge phase-{{phase}}">{{phaseLabel}}</span>{{#drill}} <span class="badge">drill</span>{{/drill}}
        {{#live}}<span class="live" data-live="2">live: refreshes every 2 seconds</span>{{/live}}
        {{#change}} · change <a href="/ui/changes/{{change}}">#{{change}}</a>{{/change}}</p>
        <dl class="facts">
        {{#facts}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/facts}}
        </dl>
        <h2>Steps</h2>
        <ol class="steps">
        {{#steps}}<li{{#current}} class="current" aria-current="step"{{/current}}{{#done}} class="done"{{/done}}>{{weight}}% for at least {{duration}}{{#current}} <strong>(now)</strong>{{/current}}{{#done}} <span class="muted">(done)</span>{{/done}}</li>{{/steps}}
        </ol>
        {{#hasCommands}}
        <h2>Commands</h2>
        <div class="actions">
        {{#commands}}
        <form method="post" action="/ui/rollouts/{{id}}/{{name}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit"{{#danger}} class="danger"{{/danger}} data-confirm="{{confirm}}">{{label}}</button>
        </form>
        {{/commands}}
        </div>
        {{/hasCommands}}
        <h2>Analysis</h2>
        {{^hasCharts}}<p class="empty">No tick yet: analysis runs once the canary serves traffic.</p>{{/hasCharts}}
        {{#hasCharts}}
        <div class="charts">
        {{#charts}}<figure><figcaption>{{title}}</figcaption>{{{svg}}}</figure>{{/charts}}
        </div>
        <h3>Ticks <span class="muted">(newest first)</span></h3>
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Tick</th><th scope="col">At</th><th scope="col">Step</th><th scope="col">Weight</th><th scope="col">Verdict</th><th scope="col">Why</th></tr></thead>
        <tbody>
        {{#ticks}}<tr><td>{{tick}}</td><td>{{at}}</td><td>{{step}}</td><td>{{weight}}%</td><td><span class="badge verdict-{{verdict}}">{{verdict}}</span></td><td>{{reason}}</td></tr>{{/ticks}}
        </tbody>
        </table>
        </div>
        {{/hasCharts}}

        """
}
