extension DashboardTemplates {
    static let waitingChanges = """
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Change</th><th scope="col">Author</th><th scope="col">Provenance</th><th scope="col">Services</th><th scope="col">Still needs</th><th scope="col">Submitted</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td><a href="/ui/changes/{{id}}">#{{id}} {{repository}} <span class="branch">{{branch}}</span></a></td>
        <td>{{author}}</td>
        <td><span class="badge provenance-{{provenance}}">{{provenanceLabel}}</span></td>
        <td>{{services}}</td>
        <td>{{needs}}{{#refusal}}<br><span class="muted">Not yours: {{refusal}}</span>{{/refusal}}</td>
        <td>{{age}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>

        """

    static let waitingOperations = """
        <div class="table-wrap">
        <table>
        <thead><tr><th scope="col">Request</th><th scope="col">Agent</th><th scope="col">Command</th><th scope="col">Still needs</th><th scope="col">Decide</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td>#{{id}} <span class="muted">{{age}}</span></td>
        <td>{{agent}}{{#model}} <span class="muted">{{model}}</span>{{/model}}{{#operator}}<br><span class="muted">for {{operator}}</span>{{/operator}}</td>
        <td><code>{{command}}</code> <span class="muted">in {{environment}}</span></td>
        <td>{{needs}}</td>
        <td>
        {{#mayReview}}
        <form method="post" action="/ui/operations/{{id}}/reviews" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="comment-{{id}}" class="visually-hidden">Comment on request #{{id}}</label>
        <input id="comment-{{id}}" name="comment" placeholder="comment (required to reject)">
        <button type="submit" name="verdict" value="approve" data-confirm="Allow {{agent}} to run this command once?">Approve</button>
        <button type="submit" name="verdict" value="reject" class="danger">Reject</button>
        </form>
        {{/mayReview}}
        {{#refusal}}<span class="muted">{{refusal}}</span>{{/refusal}}
        </td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>

        """

    /// Approvals waiting: for the signed-in person first, then on others.
    static let waiting = """
        <h1>Waiting for approval</h1>
        {{#nothing}}<p class="empty">Nothing waits for an approval. Changes the gate holds for review and agents' escalated commands appear here.</p>{{/nothing}}
        {{^nothing}}
        <h2>Your approval would count</h2>
        {{^hasMine}}{{^hasMyOperations}}<p class="empty">Nothing waits on you.</p>{{/hasMyOperations}}{{/hasMine}}
        {{#mine}}{{> waiting-changes}}{{/mine}}
        {{#myOperations}}<h3>Agents' operation requests</h3>{{> waiting-operations}}{{/myOperations}}
        <h2>Waiting on others</h2>
        {{^hasOthers}}{{^hasOtherOperations}}<p class="empty">Nothing waits on others.</p>{{/hasOtherOperations}}{{/hasOthers}}
        {{#others}}{{> waiting-changes}}{{/others}}
        {{#otherOperations}}<h3>Agents' operation requests</h3>{{> waiting-operations}}{{/otherOperations}}
        {{/nothing}}

        """
}
