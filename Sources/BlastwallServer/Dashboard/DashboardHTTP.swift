import BlastwallControlPlane
import BlastwallCore
import Foundation
import HTTPTypes
import Hummingbird

/// What the dashboard's routes share: its cookies, its security headers, HTML and redirect responses, and
/// forms read from their URL-encoded bodies.
enum DashboardHTTP {
    static let sessionCookie = "blastwall_session"
    /// Holds the sign-in form's CSRF token before there is a session (a double-submitted value).
    static let signInCookie = "blastwall_sign_in"

    /// No inline script or style, nothing from elsewhere, no framing: what the pages need and nothing more.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[.cacheControl] = "no-store"
        return headers
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = headers(contentType: "text/html; charset=utf-8")
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303: after a form, the browser fetches the next page with GET.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A cookie only the dashboard's pages get, never script (`HttpOnly`) nor another site's requests (`Strict`).
    /// A query parameter's value; nil when absent or only blanks.
    static func query(_ name: String, in request: Request) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap {
            $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0
        }
    }

    /// `path?name=value&…`, each value percent-encoded.
    static func link(_ path: String, _ pairs: [(String, String)]) -> String {
        path + "?"
            + pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/ui; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return parts[1] }
            }
        }
        return nil
    }

    /// The fields of an `application/x-www-form-urlencoded` body (the last of repeated names).
    static func form(_ request: Request, limit: Int) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: limit)
        return FormFields.parse(String(buffer: body))
    }

    /// Where to go after signing in: a dashboard path of this server, never another site.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/ui/"), !value.hasPrefix("//"), !value.contains("\\"), !value.contains("\r"),
            !value.contains("\n")
        else { return "/ui/changes" }
        return value
    }
}

/// URL-encoded form fields: `+` is a space, `%XX` a byte. Pure, so that it is tested on any input.
enum FormFields {
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A name or value that does not decode is left out rather than guessed at.
            guard let name = decode(parts[0]), !name.isEmpty, let value = parts.count > 1 ? decode(parts[1]) : "" else { continue }
            fields[name] = value
        }
        return fields
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacing("+", with: " ").removingPercentEncoding
    }
}
