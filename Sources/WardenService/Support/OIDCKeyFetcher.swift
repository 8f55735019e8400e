import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches an OpenID Connect issuer's signing keys: the discovery document at
/// `<issuer>/.well-known/openid-configuration` names `jwks_uri`, which holds the JSON Web Key Set.
/// Key sets are cached per issuer for a few minutes; a token signed with a key id the cached set lacks triggers
/// one early refresh (issuers rotate keys), at most every few seconds per issuer.
final class OIDCKeyFetcher: Sendable {
    /// Why the keys could not be obtained (AWS answers `IDPCommunicationError`).
    struct Failure: Error, Sendable { var reason: String }

    struct Entry: Sendable {
        var keys: JWKSet
        var fetched: Date
    }

    /// How long a key set is used before it is fetched again.
    let ttl: TimeInterval = 300
    /// The least time between two fetches for one issuer, so that tokens with unknown key ids cannot make
    /// Warden hammer an issuer.
    let minRefetch: TimeInterval = 10
    /// Whether `http://127.0.0.1` and `http://localhost` issuers are allowed (`WARDEN_ALLOW_INSECURE_OIDC_ISSUERS=1`).
    let allowInsecureLoopback: Bool
    private let cache = Mutex<[String: Entry]>([:])

    init(allowInsecureLoopback: Bool) { self.allowInsecureLoopback = allowInsecureLoopback }

    /// The process-wide fetcher (the setting is read from the environment once).
    static let shared = OIDCKeyFetcher(allowInsecureLoopback: ProcessInfo.processInfo.environment["WARDEN_ALLOW_INSECURE_OIDC_ISSUERS"] == "1")

    /// Whether an issuer URL may be contacted: HTTPS always; plain HTTP only to loopback with the setting on.
    func allowed(_ url: URL) -> Bool {
        if url.scheme == "https" { return url.host != nil }
        if url.scheme == "http", allowInsecureLoopback, let host = url.host {
            return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        }
        return false
    }

    /// The keys of `issuer` that may have signed `token`, refreshing the cache when needed.
    func keys(issuer: String, for token: JWT, now: Date) async throws(Failure) -> [JWK] {
        let cached = cache.withLock { $0[issuer] }
        if let cached, now.timeIntervalSince(cached.fetched) < ttl {
            let found = cached.keys.candidates(for: token)
            if !found.isEmpty || now.timeIntervalSince(cached.fetched) < minRefetch { return found }
        }
        let fresh = try await fetch(issuer: issuer)
        cache.withLock { $0[issuer] = Entry(keys: fresh, fetched: now) }
        return fresh.candidates(for: token)
    }

    func fetch(issuer: String) async throws(Failure) -> JWKSet {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        guard let discoveryURL = URL(string: base + "/.well-known/openid-configuration"), allowed(discoveryURL) else {
            throw Failure(reason: "the issuer `\(issuer)` is not an https URL")
        }
        let discovery = try await get(discoveryURL)
        guard let doc = (try? JSONSerialization.jsonObject(with: discovery)) as? [String: Any],
              let jwks = doc["jwks_uri"] as? String, let jwksURL = URL(string: jwks), allowed(jwksURL) else {
            throw Failure(reason: "the discovery document has no usable jwks_uri")
        }
        let body = try await get(jwksURL)
        guard let set = try? JSONDecoder().decode(JWKSet.self, from: body) else {
            throw Failure(reason: "the JWKS document is not a JSON Web Key Set")
        }
        return set
    }

    func get(_ url: URL) async throws(Failure) -> Data {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 5)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let result: Result<(Data, Int), Failure> = await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(returning: .failure(Failure(reason: "\(error.localizedDescription)"))); return }
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: .success((data ?? Data(), status)))
            }
            task.resume()
        }
        let (data, status) = try result.get()
        guard status == 200 else { throw Failure(reason: "\(url.absoluteString) answered HTTP \(status)") }
        guard data.count <= 1 << 20 else { throw Failure(reason: "\(url.absoluteString) answered more than 1 MiB") }
        return data
    }
}
