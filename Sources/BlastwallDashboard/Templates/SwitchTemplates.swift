extension DashboardTemplates {
    static let switches = """
        <h1>Freezes and kill switches</h1>
        <h2>Freezes in force or coming</h2>
        {{^hasFreezes}}<p class="empty">No freeze is in force or coming. Create one with <code>blastwall freeze create</code>; freezes in blastwall.yml apply too (docs/freezes.md).</p>{{/hasFreezes}}
        {{#hasFreezes}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Freeze</th><th scope="col">Covers</th><th scope="col">Ends</th><th scope="col">Override</th>{{#mayLift}}<th scope="col">Lift</th>{{/mayLift}}</tr></thead>
        <tbody>
        {{#freezes}}
        <tr>
        <td>{{name}}<br><span class="muted">{{reason}} ({{createdBy}})</span></td>
        <td>{{services}}{{#condition}}<br>when <code>{{condition}}</code>{{/condition}}</td>
        <td>{{#from}}from {{from}}<br>{{/from}}until {{until}}</td>
        <td>{{override}}</td>
        {{#mayLift}}<td>{{^configured}}<form method="post" action="/ui/freezes/{{id}}/lift"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" data-confirm="Lift freeze {{name}} now?">Lift</button></form>{{/configured}}{{#configured}}<span class="muted">ends with blastwall.yml</span>{{/configured}}</td>{{/mayLift}}
        </tr>
        {{/freezes}}
        </tbody>
        </table>
        </div>
        {{/hasFreezes}}
        <h2>Kill switches</h2>
        {{^hasSwitches}}<p class="empty">No kill switch yet. Create one with <code>blastwall switch create NAME</code>; applications read it at <code>/api/v1/switches/NAME</code>.</p>{{/hasSwitches}}
        {{#hasSwitches}}
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Switch</th><th scope="col">State</th><th scope="col">Last flipped</th>{{#mayFlip}}<th scope="col">Flip</th>{{/mayFlip}}</tr></thead>
        <tbody>
        {{#switches}}
        <tr>
        <td><code>{{name}}</code></td>
        <td><span class="badge switch-{{state}}">{{state}}</span></td>
        <td><time datetime="{{updatedAt}}">{{age}}</time> by {{updatedBy}}{{#reason}}<br><span class="muted">{{reason}}</span>{{/reason}}</td>
        {{#mayFlip}}
        <td>
        <form method="post" action="/ui/switches/{{name}}" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="enabled" value="{{flipTo}}">
        <label for="reason-{{name}}" class="visually-hidden">Why turn {{name}} {{flipTo}}</label>
        <input id="reason-{{name}}" name="reason" required placeholder="why (required)">
        <button type="submit" class="danger" data-confirm="Turn {{name}} {{flipTo}}?">{{flipLabel}}</button>
        </form>
        </td>
        {{/mayFlip}}
        </tr>
        {{/switches}}
        </tbody>
        </table>
        </div>
        {{/hasSwitches}}

        """
}
