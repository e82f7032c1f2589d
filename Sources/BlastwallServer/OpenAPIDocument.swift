import Foundation

/// The OpenAPI 3.1 description of the API (`Resources/openapi.json`, also at `docs/openapi.json`).
enum OpenAPIDocument {
    static let json: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return #"{"openapi":"3.1.0","info":{"title":"Blastwall control plane","version":"unavailable"},"paths":{}}"# }
        return text
    }()
}
