extension DashboardTemplates {
    static let audit = """
        <h1>Audit log</h1>
        <form method="get" action="/ui/audit" class="filters" role="search">
        <label for="actor">Actor</label><input id="actor" name="actor" value="{{actor}}">
        <label for="action">Action</label><input id="action" name="action" value="{{action}}" placeholder="change.approved">
        <label for="subject">Subject</label><input id="subject" name="subject" value="{{subject}}" placeholder="change/12">
        <label for="since">Since</label><input id="since" name="since" value="{{since}}" placeholder="2026-12-01T00:00:00Z">
        <label for="until">Until</label><input id="until" name="until" value="{{until}}" placeholder="2026-12-02T00:00:00Z">
        <button type="submit">Search</button>
        </form>
        <form method="get" action="/ui/audit">
        <input type="hidden" name="verify" value="1">
        <button type="submit">Verify the whole chain</button>
        </form>
        {{#verification}}<p class="{{#intact}}notice{{/intact}}{{^intact}}problem{{/intact}}" role="status">{{text}}</p>{{/verification}}
        {{^hasRows}}<p class="empty">{{empty}}</p>{{/hasRows}}
        {{#hasRows}}
        <div class="table-wrap">
        <table class="audit">
        <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Payload</th><th scope="col">Hash</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td>{{sequence}}</td><td><time datetime="{{time}}">{{time}}</time></td><td>{{actor}}</td><td>{{action}}</td><td>{{subject}}</td><td><code>{{payload}}</code></td><td><code title="{{hash}}">{{shortHash}}…</code><br><span class="muted">after {{previous}}…</span></td></tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        {{#next}}<p><a href="{{next}}" rel="next">Older events</a></p>{{/next}}

        """
}
