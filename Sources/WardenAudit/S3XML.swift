/// The XML bodies of the S3 responses the view answers, as S3 writes them, so that botocore's
/// REST-XML parser reads them as it reads S3's.
public enum S3XML {
    /// S3's XML namespace.
    public static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// The `ListBucketResult` of ListObjects (V1) or ListObjectsV2, by the page's query version.
    ///
    /// With `encoding-type=url`, keys, prefixes, markers and delimiters are percent-encoded and
    /// `<EncodingType>url</EncodingType>` is included; botocore always asks for it and decodes them.
    public static func listBucketResult(_ page: S3ListPage) -> String {
        let query = page.query
        let urlEncoded = query.encodingType == "url"
        func key(_ value: String) -> String { escape(urlEncoded ? urlEncode(value) : value) }
        var xml = declaration + "<ListBucketResult xmlns=\"\(namespace)\">"
        xml += "<Name>\(escape(page.bucket))</Name>"
        xml += "<Prefix>\(key(query.prefix))</Prefix>"
        switch query.version {
        case .v1:
            xml += "<Marker>\(key(query.marker ?? ""))</Marker>"
            if let next = page.nextMarker { xml += "<NextMarker>\(key(next))</NextMarker>" }
        case .v2:
            if let token = query.continuationToken { xml += "<ContinuationToken>\(escape(token))</ContinuationToken>" }
            if let token = page.nextContinuationToken {
                xml += "<NextContinuationToken>\(escape(token))</NextContinuationToken>"
            }
            xml += "<KeyCount>\(page.keyCount)</KeyCount>"
        }
        xml += "<MaxKeys>\(query.maxKeys)</MaxKeys>"
        if let delimiter = query.delimiter { xml += "<Delimiter>\(key(delimiter))</Delimiter>" }
        if urlEncoded { xml += "<EncodingType>url</EncodingType>" }
        xml += "<IsTruncated>\(page.isTruncated)</IsTruncated>"
        if query.version == .v2, let startAfter = query.startAfter {
            xml += "<StartAfter>\(key(startAfter))</StartAfter>"
        }
        for object in page.objects {
            xml += "<Contents><Key>\(key(object.key))</Key>"
            xml += "<LastModified>\(AuditTime.s3Timestamp(object.lastModified))</LastModified>"
            xml += "<ETag>\(escape(object.etag))</ETag><Size>\(object.size)</Size>"
            xml += "<StorageClass>STANDARD</StorageClass></Contents>"
        }
        for prefix in page.commonPrefixes {
            xml += "<CommonPrefixes><Prefix>\(key(prefix))</Prefix></CommonPrefixes>"
        }
        return xml + "</ListBucketResult>"
    }

    /// The GetBucketLocation body: the region, or an empty element for `us-east-1` (nil).
    public static func locationConstraint(_ region: String?) -> String {
        guard let region, !region.isEmpty else {
            return declaration + "<LocationConstraint xmlns=\"\(namespace)\"/>"
        }
        return declaration + "<LocationConstraint xmlns=\"\(namespace)\">\(escape(region))</LocationConstraint>"
    }

    /// An S3 error body (`<Error>` carries no namespace in S3's answers). HEAD responses carry no body.
    public static func error(_ error: S3ViewError, requestID: String, hostID: String = "") -> String {
        var xml = declaration + "<Error><Code>\(error.code.rawValue)</Code><Message>\(escape(error.message))</Message>"
        if let resource = error.resource {
            switch error.code {
            case .noSuchKey: xml += "<Key>\(escape(resource))</Key>"
            case .noSuchBucket: xml += "<BucketName>\(escape(resource))</BucketName>"
            case .invalidArgument:
                xml += "<ArgumentName>\(escape(resource))</ArgumentName>"
                xml += "<ArgumentValue>\(escape(error.argumentValue ?? ""))</ArgumentValue>"
            case .accessDenied, .internalError, .notImplemented: break
            }
        }
        return xml + "<RequestId>\(escape(requestID))</RequestId><HostId>\(escape(hostID))</HostId></Error>"
    }

    /// XML character data and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Percent-encoding for `encoding-type=url`: everything but unreserved characters and `/`.
    static func urlEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
