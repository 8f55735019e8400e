import Foundation
import WardenWire

/// Benchmarks of the AWS Query wire layer: decoding a request body and encoding a response.
/// Prints nanoseconds per operation (best of 5 rounds, which is the figure least disturbed by other load on
/// the machine) so runs can be compared.
func runWireBenchmarks() {
    let body = "Action=CreateUser&Version=2010-05-08&UserName=alice.example%40corp&Path=%2Fengineering%2Fbackend%2F"
        + "&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fboundary"
        + "&Tags.member.1.Key=team&Tags.member.1.Value=platform"
        + "&Tags.member.2.Key=cost-center&Tags.member.2.Value=4711"
        + "&Tags.member.3.Key=owner&Tags.member.3.Value=alice%40example.com"
    wireBench("wire.decode CreateUser (3 tags)", iterations: 20_000) {
        let request = try? IAM.CreateUserRequest(from: QueryParameters(formEncoded: body))
        return request?.tags?.count ?? 0
    }

    let created = Date(timeIntervalSince1970: 1_704_164_645)
    let users = (0..<100).map { i in
        IAM.User(path: "/engineering/", userName: "user-\(i)", userId: "AIDA\(String(repeating: "Q", count: 14))\(100 + i)",
                 arn: "arn:aws:iam::123456789012:user/engineering/user-\(i)", createDate: created)
    }
    let response = IAM.ListUsersResponse(users: users, isTruncated: true, marker: "user-99")
    wireBench("wire.encode ListUsers (100 users)", iterations: 2_000) {
        QueryProtocol.successBytes(operation: "ListUsers", namespace: IAM.namespace, result: response,
                                   requestID: "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE").count
    }
}

/// Runs `body` `iterations` times per round over 5 rounds and prints the best round's ns/op.
private func wireBench(_ name: String, iterations: Int, _ body: () -> Int) {
    var sink = 0
    for _ in 0..<max(1, iterations / 10) { sink &+= body() }  // warm-up
    var rounds: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<5 {
        let elapsed = clock.measure {
            for _ in 0..<iterations { sink &+= body() }
        }
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        rounds.append(ns / Double(iterations))
    }
    let best = rounds.min() ?? 0
    // `sink` keeps the optimizer from discarding the work; it is printed only when it is impossible.
    if sink == Int.min { print(sink) }
    print(name.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: " %10.0f ns/op %12.0f op/s", best, 1e9 / best))
}
