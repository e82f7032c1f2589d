extension DashboardTemplates {
    /// The recent changes, newest first, with filters.
    static let changes = """
        <h1>Changes</h1>
        <form method="get" action="/ui/changes" class="filters" role="search">
        <label for="service">Service</label>
        <input id="service" name="service" value="{{filters.service}}">
        <label for="provenance">Provenance</label>
        <select id="provenance" name="provenance">
        {{#filters.provenances}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.provenances}}
        </select>
        <label for="state">State</label>
        <select id="state" name="state">
        {{#filters.states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.states}}
        </select>
        <label for="q">Repository or branch</label>
        <input id="q" name="q" value="{{filters.query}}">
        <button type="submit">Filter</button>
        </form>
        {{^items}}
        <p class="empty">{{empty}}</p>
        {{/items}}
        {{#hasItems}}
        <div class="table-wrap">
        <table>
        <caption class="visually-hidden">Changes, newest first</caption>
        <thead><tr><th scope="col">Change</th><th scope="col">Author</th><th scope="col">Provenance</th><th scope="col">Services</th><th scope="col">Risk</th><th scope="col">Gate</th><th scope="col">Updated</th></tr></thead>
        <tbody>
        {{#items}}
        <tr>
        <td><a href="/ui/changes/{{id}}">#{{id}} {{repository}} <span class="branch">{{branch}}</span></a></td>
        <td>{{author}}</td>
        <td><span class="badge provenance-{{provenance}}">{{provenanceLabel}}</span>{{#tools}} <span class="muted">{{tools}}</span>{{/tools}}</td>
        <td>{{services}}{{#radius}} <span class="muted">(+{{radius}} downstream)</span>{{/radius}}</td>
        <td><span class="badge risk-{{riskLevel}}">{{riskLabel}}</span></td>
        <td><span class="badge state-{{state}}">{{state}}</span> {{decision}}</td>
        <td><time datetime="{{updatedAt}}">{{age}}</time></td>
        </tr>
        {{/items}}
        </tbody>
        </table>
        </div>
        {{/hasItems}}
        {{#next}}<p><a href="{{next}}" rel="next">Older changes</a></p>{{/next}}

        """

    /// One change: the gate, its report, its reviews, and the actions the signed-in identity may take.
    static let change = """
        <h1>Change #{{id}} <span class="muted">{{repository}} {{branch}}</span></h1>
        <dl class="facts">
        <dt>Gate</dt><dd><span class="badge state-{{state}}">{{state}}</span> {{summary}}</dd>
        <dt>Decision</dt><dd>{{decision}}</dd>
        <dt>Provenance</dt><dd><span class="badge provenance-{{provenance}}">{{provenanceLabel}}</span>{{#tools}} {{tools}}{{/tools}}</dd>
        <dt>Head</dt><dd><code>{{head}}</code>{{#base}} from <code>{{base}}</code>{{/base}}</dd>
        <dt>Submitted by</dt><dd>{{submittedBy}}, <time datetime="{{createdAt}}">{{createdAt}}</time></dd>
        <dt>Services</dt><dd>{{services}}</dd>
        {{#radius}}<dt>Blast radius</dt><dd>{{radius}}</dd>{{/radius}}
        <dt>Risk</dt><dd><span class="badge risk-{{riskLevel}}">{{riskLabel}}</span></dd>
        </dl>
        {{#hasMissing}}
        <h2>Still needed</h2>
        <ul class="missing">{{#missing}}<li>{{.}}</li>{{/missing}}</ul>
        {{/hasMissing}}
        {{#hasReasons}}
        <h2>Why it is held</h2>
        <ul class="reasons">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>
        {{/hasReasons}}
        <section aria-labelledby="review-heading">
        <h2 id="review-heading">Review</h2>
        {{#refusal}}<p class="refusal">You cannot review this change: {{refusal}}</p>{{/refusal}}
        {{#canReview}}
        <form method="post" action="/ui/changes/{{id}}/reviews" class="stacked">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="head" value="{{head}}">
        <label for="comment">Comment (a rejection must say why)</label>
        <textarea id="comment" name="comment" rows="3"></textarea>
        <div class="actions">
        <button type="submit" name="verdict" value="approve">Approve</button>
        <button type="submit" name="verdict" value="reject" class="danger">Reject</button>
        {{#canOverride}}<button type="submit" name="verdict" value="override" class="danger" data-confirm="Override the gate of change #{{id}}?">Override</button>{{/canOverride}}
        </div>
        </form>
        {{/canReview}}
        </section>
        <h2>Reviews</h2>
        {{^reviews}}<p class="empty">No review yet.</p>{{/reviews}}
        {{#hasReviews}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Reviewer</th><th scope="col">Verdict</th><th scope="col">Commit</th><th scope="col">When</th><th scope="col">Comment</th></tr></thead>
        <tbody>
        {{#reviews}}<tr{{#dismissed}} class="dismissed"{{/dismissed}}><td>{{reviewer}}{{#source}} <span class="muted">{{source}}</span>{{/source}}</td><td>{{verdict}}{{#dismissed}} (dismissed){{/dismissed}}{{#stale}}<br><span class="muted">{{stale}}</span>{{/stale}}</td><td><code>{{head}}</code></td><td><time datetime="{{createdAt}}">{{createdAt}}</time></td><td>{{comment}}</td></tr>{{/reviews}}
        </tbody>
        </table>
        </div>
        {{/hasReviews}}
        <h2>Rollouts</h2>
        {{^hasRollouts}}<p class="empty">Not rolled out by Blastwall yet.</p>{{/hasRollouts}}
        {{#hasRollouts}}<ul>{{#rollouts}}<li><a href="/ui/rollouts/{{id}}">#{{id}} {{service}} {{version}}</a> <span class="badge phase-{{phase}}">{{phaseLabel}}</span></li>{{/rollouts}}</ul>{{/hasRollouts}}
        {{#hasIncidents}}
        <h2>Incidents it is a suspect of</h2>
        <ul>{{#incidents}}<li><a href="/ui/incidents/{{id}}">#{{id}} {{title}}</a> <span class="badge incident-{{state}}">{{state}}</span> {{rank}}</li>{{/incidents}}</ul>
        {{/hasIncidents}}
        {{#report}}
        <h2>Report</h2>
        <h3>Files</h3>
        <ul class="files">{{#files}}<li><code>{{path}}</code>{{#classes}} <span class="muted">{{classes}}</span>{{/classes}}</li>{{/files}}</ul>
        {{#hasFactors}}
        <h3>Risk factors</h3>
        <ul>{{#factors}}<li>{{points}} points: {{reason}}</li>{{/factors}}</ul>
        {{/hasFactors}}
        {{#hasRules}}
        <h3>Rules that matched</h3>
        <ul>{{#rules}}<li>{{.}}</li>{{/rules}}</ul>
        {{/hasRules}}
        {{/report}}
        <h2>Audit trail</h2>
        {{#hasTrail}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead>
        <tbody>{{#trail}}<tr><td><a href="/ui/audit?subject=change%2F{{id}}">{{sequence}}</a></td><td><time datetime="{{time}}">{{time}}</time></td><td>{{actor}}</td><td>{{action}}</td><td><code>{{detail}}</code></td></tr>{{/trail}}</tbody>
        </table>
        </div>
        {{/hasTrail}}

        """
}
