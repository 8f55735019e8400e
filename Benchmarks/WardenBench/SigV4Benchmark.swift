import Foundation
import WardenSigV4
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SigV4 verification cost per request, in-process, single thread: a CLI-shaped IAM POST (form body,
/// content-type, host, x-amz-date, and a 368-byte session token, all signed) signed by the client signer,
/// then verified the way the server does; plus the same without a session token (IAM user keys). Prints, for each step, the median of 5 rounds in wall-clock ns/op and in this thread's CPU
/// ns/op (the CPU figure stays meaningful on a machine shared with other work).
func runSigV4Benchmarks() {
    let now = Date()
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    let body = Array("Action=GetUser&Version=2010-05-08&UserName=alice".utf8)
    let signer = SigV4Signer(accessKeyID: "ASIAIOSFODNN7EXAMPLE", secret: secret, region: "us-east-1", service: "iam",
                             sessionToken: String(repeating: "IQoJb3JpZ2luX2VjEXAMPLE", count: 16))
    let request = signer.sign(
        SigV4Request(method: "POST", path: "/", query: "",
                     headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                               ("User-Agent", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.4.5"), ("Accept-Encoding", "identity"),
                               ("Content-Length", String(body.count))],
                     payloadSHA256Hex: ""),
        body: body, date: now)
    // Long-term IAM user keys: no session token header, so a shorter canonical request.
    let userSigner = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secret: secret, region: "us-east-1", service: "iam")
    let userRequest = userSigner.sign(
        SigV4Request(method: "POST", path: "/", query: "",
                     headers: [("Host", "127.0.0.1:8080"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                               ("User-Agent", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.4.5")],
                     payloadSHA256Hex: ""),
        body: body, date: now)
    let presignedQuery = signer.presignedQuery(method: "GET", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15",
                                               headers: [("Host", "127.0.0.1:8080")], expires: 900, date: now)
    let presigned = SigV4Request(method: "GET", path: "/", query: presignedQuery, headers: [("Host", "127.0.0.1:8080")],
                                 payloadSHA256Hex: SigV4.emptyPayloadSHA256)
    let cache = SigningKeyCache()
    guard let auth = try? SigV4.parse(request), let presignedAuth = try? SigV4.parse(presigned) else {
        print("sigv4: benchmark request does not parse"); return
    }
    let key = cache.key(accessKeyID: auth.accessKeyID, secret: secret, date: auth.date, region: auth.region, service: auth.service)
    do {
        try SigV4.verify(request, auth, signingKey: key, now: now)
        try SigV4.verify(presigned, presignedAuth, signingKey: key, now: now)
    } catch {
        print("sigv4: benchmark request does not verify: \(error.message)"); return
    }

    sigV4Bench("sigv4.parse (Authorization header)", iterations: 200_000) {
        (try? SigV4.parse(request))?.signedHeaders.count ?? 0
    }
    sigV4Bench("sigv4.verify (cached signing key)", iterations: 200_000) {
        (try? SigV4.verify(request, auth, signingKey: key, now: now)) == nil ? 0 : 1
    }
    if let userAuth = try? SigV4.parse(userRequest), (try? SigV4.verify(userRequest, userAuth, signingKey: key, now: now)) != nil {
        sigV4Bench("sigv4.verify (cached key, no session token)", iterations: 200_000) {
            (try? SigV4.verify(userRequest, userAuth, signingKey: key, now: now)) == nil ? 0 : 1
        }
    }
    sigV4Bench("sigv4.parse+cache+verify (server path)", iterations: 200_000) {
        guard let a = try? SigV4.parse(request) else { return 0 }
        let k = cache.key(accessKeyID: a.accessKeyID, secret: secret, date: a.date, region: a.region, service: a.service)
        return (try? SigV4.verify(request, a, signingKey: k, now: now)) == nil ? 0 : 1
    }
    sigV4Bench("sigv4.parse+derive+verify (no cache)", iterations: 50_000) {
        guard let a = try? SigV4.parse(request) else { return 0 }
        let k = SigV4.deriveSigningKey(secret: secret, date: a.date, region: a.region, service: a.service)
        return (try? SigV4.verify(request, a, signingKey: k, now: now)) == nil ? 0 : 1
    }
    sigV4Bench("sigv4.parse+verify presigned (cached key)", iterations: 100_000) {
        guard let a = try? SigV4.parse(presigned) else { return 0 }
        return (try? SigV4.verify(presigned, a, signingKey: key, now: now)) == nil ? 0 : 1
    }
}

/// Runs `body` `iterations` times per round over 5 rounds and prints the median wall and CPU ns/op.
private func sigV4Bench(_ name: String, iterations: Int, _ body: () -> Int) {
    // SIGV4_BENCH=<substring> runs only the matching steps (for profiling one of them).
    if let only = ProcessInfo.processInfo.environment["SIGV4_BENCH"], !name.contains(only) { return }
    var sink = 0
    for _ in 0..<max(1, iterations / 10) { sink &+= body() }  // warm-up
    var wall: [Double] = [], cpu: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<5 {
        let cpuStart = threadCPUNanoseconds()
        let elapsed = clock.measure {
            for _ in 0..<iterations { sink &+= body() }
        }
        cpu.append((threadCPUNanoseconds() - cpuStart) / Double(iterations))
        wall.append((Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(iterations))
    }
    wall.sort()
    cpu.sort()
    let label = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    print("\(label) \(String(format: "%8.0f", wall[2])) ns/op wall  \(String(format: "%8.0f", cpu[2])) ns/op cpu  (sink \(sink % 10))")
}

/// CPU time consumed by the calling thread, in nanoseconds.
private func threadCPUNanoseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
}
