import Foundation
import WardenSigV4

/// SigV4 verification cost in-process: a signed IAM request verified repeatedly, with the signing key
/// cached (the server's steady state) and derived each time.
func runSigV4Benchmarks() {
    let body = Array("Action=GetUser&Version=2010-05-08&UserName=alice".utf8)
    let now = Date()
    let signer = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "iam")
    let request = signer.sign(SigV4Request(method: "POST", path: "/", query: "",
                                           headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                           payloadSHA256Hex: ""), body: body, date: now)
    let cache = SigningKeyCache()
    let iterations = 200_000
    func measure(_ label: String, _ body: () throws -> Void) rethrows {
        for _ in 0..<1000 { try body() }  // warm up
        let start = ContinuousClock.now
        for _ in 0..<iterations { try body() }
        let elapsed = ContinuousClock.now - start
        let ns = Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9
        print(String(format: "%-48@ %10.0f ns/op %12.0f op/s", label as NSString, ns / Double(iterations), Double(iterations) / (ns / 1e9)))
    }
    measure("sigv4 parse + verify (cached signing key)") {
        let auth = try! SigV4.parse(request)
        let key = cache.key(accessKeyID: auth.accessKeyID, secret: signer.secret, date: auth.date, region: auth.region, service: auth.service)
        try! SigV4.verify(request, auth, signingKey: key, now: now)
    }
    measure("sigv4 parse + derive key + verify") {
        let auth = try! SigV4.parse(request)
        let key = SigV4.deriveSigningKey(secret: signer.secret, date: auth.date, region: auth.region, service: auth.service)
        try! SigV4.verify(request, auth, signingKey: key, now: now)
    }
}
