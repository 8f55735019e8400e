#!/usr/bin/env python3
"""Generates the WardenWire shapes of the services Warden serves from the botocore service models.

Usage: python3 scripts/codegen/generate.py [output-dir]
(default output: Sources/WardenWire/Generated next to this script's repository root).

The botocore package that is importable at run time is the specification: its data directory holds
iam/2010-05-08/service-2.json(.gz), sts/2011-06-15/…, cloudtrail/2013-11-01/…. Standard library only.

Each service's protocol (the model's `metadata.protocol`) picks the codec the shapes conform to:
- query (IAM, STS): `QueryDecodable` request shapes, `XMLEncodable` response shapes.
- json (CloudTrail; Organizations): `JSONDecodable` / `JSONEncodable`, members under their wire names, timestamps
  as epoch seconds unless the model gives a `timestampFormat`.
- rest-json (Access Analyzer): as json, and each operation's top-level input is `HTTPBindingDecodable`, reading
  members bound to the URI (`location: uri`), query string and headers from `HTTPBindings`; operations carry
  their method and URI template for `RESTRouter`.
Adding a service is one entry in SERVICES; a model feature the emitters do not support stops the run with a
message rather than generating something wrong.

Naming (the server is written against these rules):
- Structure shape `createUserRequest`/`CreateUserRequest` -> `public struct CreateUserRequest` (first letter
  uppercased), nested in `extension IAM` / `extension STS` / `extension CloudTrail`. A name that is a Swift keyword
  or a type the generated code uses gets the suffix `Shape` (CloudTrail's enum `Type` -> `CloudTrail.TypeShape`).
- String enum shape `statusType` -> `public enum StatusType: String`, cases lowerCamel of the value
  (`Active` -> `active`, `IN_PROGRESS` -> `inProgress`, `text/csv` -> `textCsv`, `AWS` -> `aws`).
- Member `UserName` -> `userName`: the leading run of capitals is lowercased, except that when the run is
  followed by a lowercase letter its last capital stays (`SAMLMetadataDocument` -> `samlMetadataDocument`,
  `OpenIDConnectProviderArn` -> `openIDConnectProviderArn`, `ARN` -> `arn`). Swift keywords get backticks.
- AWS validation locations are the member name with its first letter lowercased (`SAMLProviderArn` ->
  `sAMLProviderArn`), nested as `tags.1.member.key`, which is how AWS prints them.
"""
import gzip
import json
import os
import re
import sys
import html

SERVICES = [
    # (Swift namespace, model directory, documentation name)
    ("IAM", "iam/2010-05-08", "IAM"),
    ("STS", "sts/2011-06-15", "STS"),
    ("CloudTrail", "cloudtrail/2013-11-01", "CloudTrail"),
    ("AccessAnalyzer", "accessanalyzer/2019-11-01", "AccessAnalyzer"),
    # Warden's own API (security status, checks, alerts, remediation), a model in botocore's format kept in the
    # repository's models/ directory: `aws configure add-model` takes the same file.
    ("WardenSecurity", "repo:warden/2026-12-01", "Warden"),
]
SUPPORTED_PROTOCOLS = {"query", "json", "rest-json"}

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
    "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
    "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
    "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
    "try", "Type", "Protocol",
}
# Type names the generated code refers to unqualified; a shape with one of these names would shadow it.
RESERVED_TYPE_NAMES = {"String", "Int", "Bool", "Date", "Array", "Dictionary", "Optional", "Error", "UInt8",
                       "QueryParameters", "QueryReader", "XMLWriter", "WireFormat", "ValidationFailure",
                       "OperationDescriptor", "ErrorDescriptor", "StringRule", "IntRule", "CountRule", "Rules",
                       "Sendable", "Equatable", "CaseIterable", "Self", "Double", "WireJSON", "JSONReader",
                       "JSONFields", "HTTPBindings", "ServiceDescriptor", "WireProtocol", "JSONDecodable",
                       "JSONEncodable", "HTTPBindingDecodable", "QueryDecodable", "XMLEncodable", "QueryReader"}

LINES_PER_FILE = 900
POLICY_DOCUMENT_SHAPES = {"policyDocumentType"}


def load_models():
    import botocore  # the installed botocore is the wire specification
    base = os.path.join(os.path.dirname(botocore.__file__), "data")

    repo_models = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "models")

    def load(rel, name):
        path = os.path.join(repo_models, rel[5:], name) if rel.startswith("repo:") else os.path.join(base, rel, name)
        if os.path.exists(path + ".gz"):
            with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
                return json.load(f)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        return None

    out = []
    for ns, rel, _ in SERVICES:
        model = load(rel, "service-2.json")
        if model is None:
            sys.exit(f"missing botocore model {rel}")
        paginators = (load(rel, "paginators-1.json") or {}).get("pagination", {})
        out.append((ns, model, paginators, botocore.__version__))
    return out


# ---------------------------------------------------------------- naming

def upper_first(name):
    return name[0].upper() + name[1:]


def type_name(name):
    """The Swift type of a structure or enum shape: `createUserRequest` -> `CreateUserRequest`. A name that is a Swift
    keyword or would shadow a type the generated code uses gets the suffix `Shape` (CloudTrail's enum `Type` ->
    `TypeShape`)."""
    t = upper_first(name)
    if t in RESERVED_TYPE_NAMES or t in SWIFT_KEYWORDS:
        return t + "Shape"
    return t


def lower_first(name):
    return name[0].lower() + name[1:]


def lower_camel(name):
    """`UserName` -> `userName`, `ARN` -> `arn`, `SAMLMetadataDocument` -> `samlMetadataDocument`."""
    i = 0
    while i < len(name) and name[i].isupper():
        i += 1
    if i == 0:
        return name
    if i == 1 or i == len(name) or not name[i].islower():
        return name[:i].lower() + name[i:]
    return name[:i - 1].lower() + name[i - 1:]


def escape_identifier(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def member_identifier(member_name):
    return escape_identifier(lower_camel(member_name))


def enum_case_name(value):
    words = [w for w in re.split(r"[^A-Za-z0-9]+", value) if w]
    if not words:
        raise SystemExit(f"cannot name enum value {value!r}")
    out = []
    for idx, w in enumerate(words):
        if w.isupper() or w.isdigit():
            w = w.lower()
        if idx == 0:
            out.append(lower_camel(w))
        else:
            out.append(w[0].upper() + w[1:])
    name = "".join(out)
    if name[0].isdigit():
        name = "_" + name
    return escape_identifier(name)


def swift_string(s):
    """A Swift string literal."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def plain_text(doc):
    """Model documentation (HTML) as one line of plain text."""
    if not doc:
        return ""
    text = re.sub(r"<[^>]+>", " ", doc)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def first_sentence(doc, limit=300):
    text = plain_text(doc)
    if not text:
        return ""
    m = re.search(r"(?<!e\.g)(?<!i\.e)(?<!etc)[.!?](?=\s+[A-Z(])", text)
    sentence = text[: m.end()] if m else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


def doc_line(text):
    # Doc comments are single lines; keep them free of comment terminators.
    return text.replace("*/", "* /")


# ---------------------------------------------------------------- model analysis

class Service:
    def __init__(self, ns, model, paginators, botocore_version):
        self.ns = ns
        self.model = model
        self.shapes = model["shapes"]
        self.ops = model["operations"]
        self.paginators = paginators
        self.botocore_version = botocore_version
        self.protocol = model["metadata"]["protocol"]
        if self.protocol not in SUPPORTED_PROTOCOLS:
            raise SystemExit(f"{ns}: protocol {self.protocol} is not supported")
        self.exceptions = {n for n, s in self.shapes.items() if s.get("exception")}
        self.input_shapes = set()
        self.output_shapes = set()
        for op in self.ops.values():
            if "input" in op:
                self.walk(op["input"]["shape"], self.input_shapes)
            if "output" in op:
                self.walk(op["output"]["shape"], self.output_shapes)
        self.structures = [n for n, s in self.shapes.items()
                           if s["type"] == "structure" and n not in self.exceptions
                           and (n in self.input_shapes or n in self.output_shapes)]
        self.enums = [n for n, s in self.shapes.items() if s["type"] == "string" and "enum" in s]
        names = {}
        for n in self.structures + self.enums:
            t = type_name(n)
            if t in names:
                raise SystemExit(f"{ns}: shapes {names[t]} and {n} both map to {t}")
            names[t] = n
        for n in self.structures:
            idents = {}
            for m in self.shapes[n]["members"]:
                i = lower_camel(m)
                if i in idents:
                    raise SystemExit(f"{ns}: members {idents[i]} and {m} of {n} both map to {i}")
                idents[i] = m
        # Top-level inputs of REST operations read bound members from HTTPBindings.
        self.rest_inputs = set()
        if self.protocol == "rest-json":
            self.rest_inputs = {op["input"]["shape"] for op in self.ops.values() if "input" in op}
            nested = set()
            for n in self.input_shapes:
                s = self.shapes[n]
                refs = [m["shape"] for m in s.get("members", {}).values()] if s["type"] == "structure" else \
                    [s["member"]["shape"]] if s["type"] == "list" else \
                    [s["value"]["shape"]] if s["type"] == "map" else []
                nested.update(refs)
            if self.rest_inputs & nested:
                raise SystemExit(f"{ns}: operation inputs also nested elsewhere: {sorted(self.rest_inputs & nested)}")
        self.rules = {}  # rule identifier -> Swift initializer expression

    def walk(self, name, seen):
        if name in seen:
            return
        seen.add(name)
        s = self.shapes[name]
        t = s["type"]
        if t == "structure":
            for m in s["members"].values():
                self.walk(m["shape"], seen)
        elif t == "list":
            self.walk(s["member"]["shape"], seen)
        elif t == "map":
            self.walk(s["key"]["shape"], seen)
            self.walk(s["value"]["shape"], seen)

    def is_enum(self, name):
        s = self.shapes[name]
        return s["type"] == "string" and "enum" in s

    def swift_type(self, name):
        s = self.shapes[name]
        t = s["type"]
        if t == "structure":
            return type_name(name)
        if t == "list":
            if s.get("flattened") or s["member"].get("flattened"):
                raise SystemExit(f"{self.ns}: flattened list {name} is not supported")
            return "[" + self.swift_type(s["member"]["shape"]) + "]"
        if t == "map":
            value = self.swift_type(s["value"]["shape"])
            return "[String: " + value + "]"
        if t == "string":
            return type_name(name) if "enum" in s else "String"
        return {"integer": "Int", "long": "Int", "boolean": "Bool", "timestamp": "Date", "blob": "[UInt8]",
                "double": "Double", "float": "Double"}[t]

    # Constraint rules, emitted once per shape into `<NS>.Rules`.
    def string_rule(self, name):
        s = self.shapes[name]
        if not any(k in s for k in ("min", "max", "pattern")):
            return "nil"
        ident = escape_identifier(name)
        if ident not in self.rules:
            args = []
            if "min" in s:
                args.append(f"min: {int(s['min'])}")
            if "max" in s:
                args.append(f"max: {int(s['max'])}")
            if "pattern" in s:
                args.append(f"pattern: {swift_string(s['pattern'])}")
            self.rules[ident] = ("StringRule", "StringRule(" + ", ".join(args) + ")", name)
        return f"{self.ns}.Rules.{ident}"

    def int_rule(self, name):
        s = self.shapes[name]
        if not any(k in s for k in ("min", "max")):
            return "nil"
        ident = escape_identifier(name)
        if ident not in self.rules:
            args = []
            if "min" in s:
                args.append(f"min: {int(s['min'])}")
            if "max" in s:
                args.append(f"max: {int(s['max'])}")
            self.rules[ident] = ("IntRule", "IntRule(" + ", ".join(args) + ")", name)
        return f"{self.ns}.Rules.{ident}"

    def count_rule(self, name):
        s = self.shapes[name]
        if not any(k in s for k in ("min", "max")):
            return "nil"
        ident = escape_identifier(name)
        if ident not in self.rules:
            args = []
            if "min" in s:
                args.append(f"min: {int(s['min'])}")
            if "max" in s:
                args.append(f"max: {int(s['max'])}")
            self.rules[ident] = ("CountRule", "CountRule(" + ", ".join(args) + ")", name)
        return f"{self.ns}.Rules.{ident}"


# ---------------------------------------------------------------- Swift emitters

def header(svc, title):
    return [
        f"// GENERATED by scripts/codegen/generate.py from botocore {svc.botocore_version} "
        f"({svc.model['metadata']['uid']}). Do not edit.",
        f"// {title}",
        "",
    ]


def emit_struct(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    required = set(s.get("required", []))
    members = list(s["members"].items())
    doc = first_sentence(s.get("documentation")) or f"The `{name}` shape of the {svc.ns} API."
    roles = []
    if name in svc.input_shapes:
        roles.append("request")
    if name in svc.output_shapes:
        roles.append("response")
    lines = [f"    /// {doc_line(doc)}",
             f"    /// ({' and '.join(roles)} shape `{name}`)",
             f"    public struct {tname}: Sendable, Equatable {{"]
    params = []
    for mname, m in members:
        ident = member_identifier(mname)
        ty = svc.swift_type(m["shape"])
        opt = mname not in required
        mdoc = first_sentence(m.get("documentation")) or f"The `{mname}` member."
        lines.append(f"        /// {doc_line(mdoc)}")
        lines.append(f"        public var {ident}: {ty}{'?' if opt else ''}")
        params.append((ident, ty, opt))
    if params:
        lines.append("")
    lines.append("        /// Creates a value from every member, in model order; optional members default to nil.")
    sig = ", ".join(f"{p}: {t}{'? = nil' if o else ''}" for p, t, o in params)
    lines.append(f"        public init({sig}) {{")
    for p, _, _ in params:
        bare = p.strip("`")
        lines.append(f"            self.{bare} = {p}")
    lines.append("        }")
    lines.append("    }")
    return lines


def decode_expr(svc, shape_name, prefix, name, loc, required):
    """A Swift expression that reads one member (type: optional Swift type of the shape).

    `prefix` is the Swift variable holding the key prefix, `name` the wire name (a Swift literal), `loc` the
    Swift expression of the AWS location."""
    s = svc.shapes[shape_name]
    t = s["type"]
    req = "true" if required else "false"
    head = f"{prefix}, {name}, {loc}, required: {req}"
    if t == "structure":
        tn = type_name(shape_name)
        return f"r.structure({head}) {{ r, p, l in {svc.ns}.{tn}.decode(&r, p, l) }}"
    if t == "list":
        elem_name = s["member"]["shape"]
        elem = svc.shapes[elem_name]
        rule = svc.count_rule(shape_name)
        if elem["type"] == "structure":
            tn = type_name(elem_name)
            return f"r.list({head}, {rule}) {{ r, p, l in {svc.ns}.{tn}.decode(&r, p, l) }}"
        if elem["type"] == "string" and "enum" in elem:
            return f"r.enumList({head}, {rule}, {svc.ns}.{type_name(elem_name)}.self)"
        if elem["type"] == "string":
            return f"r.stringList({head}, {rule}, {svc.string_rule(elem_name)})"
        if elem["type"] in ("integer", "long"):
            return f"r.integerList({head}, {rule}, {svc.int_rule(elem_name)})"
        raise SystemExit(f"{svc.ns}: unsupported input list element {elem_name} ({elem['type']})")
    if t == "map":
        key_shape = s["key"]["shape"]
        value_shape = s["value"]["shape"]
        inner = decode_expr(svc, value_shape, "k", '"value"', 'kl + "value"', True)
        return (f"r.map({head}, {svc.count_rule(shape_name)}, {svc.string_rule(key_shape)}) "
                f"{{ r, k, kl in {inner} }}")
    if t == "string":
        if "enum" in s:
            return f"r.enumeration({head}, {svc.ns}.{type_name(shape_name)}.self)"
        return f"r.string({head}, {svc.string_rule(shape_name)})"
    if t in ("integer", "long"):
        return f"r.integer({head}, {svc.int_rule(shape_name)})"
    if t == "boolean":
        return f"r.boolean({head})"
    if t == "timestamp":
        return f"r.timestamp({head})"
    if t == "blob":
        return f"r.blob({head}, {svc.string_rule(shape_name)})"
    raise SystemExit(f"{svc.ns}: unsupported input shape {shape_name} ({t})")


def emit_decoding(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    required = set(s.get("required", []))
    members = list(s["members"].items())
    lines = [f"extension {svc.ns}.{tname}: QueryDecodable {{",
             f"    /// Decodes and validates `{name}` from AWS Query parameters, reporting every violation.",
             "    public init(from query: QueryParameters) throws(ValidationFailure) {",
             "        var r = QueryReader(query)",
             "        let value = Self.decode(&r, \"\", \"\")",
             "        self = try r.finish(value)",
             "    }",
             "",
             "    /// Reads the members under key prefix `p` (`\"\"` or `Tags.member.1.`), locating violations under `l`.",
             "    static func decode(_ r: inout QueryReader, _ p: String, _ l: String) -> Self? {"]
    if not members:
        lines.append("        Self()")
        lines += ["    }", "}"]
        return lines
    for mname, m in members:
        local = "v_" + lower_camel(mname)
        wire = m.get("locationName", mname)
        loc = f"l + {swift_string(lower_first(mname))}"
        expr = decode_expr(svc, m["shape"], "p", swift_string(wire), loc, mname in required)
        lines.append(f"        let {local} = {expr}")
    req_locals = ["v_" + lower_camel(mname) for mname, _ in members if mname in required]
    if req_locals:
        lines.append("        guard " + ", ".join(f"let {v}" for v in req_locals) + " else { return nil }")
    args = ", ".join(f"{member_identifier(mname).strip('`')}: v_{lower_camel(mname)}" for mname, _ in members)
    lines.append(f"        return Self({args})")
    lines += ["    }", "}"]
    return lines


def encode_stmt(svc, shape_name, element, value, member_name=None, indent="        "):
    """A Swift statement that writes `value` (non-optional) as element `element`."""
    s = svc.shapes[shape_name]
    t = s["type"]
    el = swift_string(element)
    if t == "structure":
        return f"w.structure({el}, {value})"
    if t == "list":
        member = s["member"]
        inner = encode_stmt(svc, member["shape"], member.get("locationName", "member"), "e")
        return f"w.list({el}, {value}) {{ w, e in {inner} }}"
    if t == "map":
        vs = svc.shapes[s["value"]["shape"]]
        if vs["type"] == "structure":
            inner = "e.encodeXML(to: &w)"
        else:
            inner = "w.text(" + scalar_text(svc, s["value"]["shape"], "e") + ")"
        return f"w.map({el}, {value}) {{ w, e in {inner} }}"
    if t in ("integer", "long", "boolean", "timestamp"):
        return f"w.element({el}, {value})"  # typed overloads write digits without intermediate strings
    return f"w.element({el}, {scalar_text(svc, shape_name, value)})"


def scalar_text(svc, shape_name, value):
    s = svc.shapes[shape_name]
    t = s["type"]
    if t == "string":
        if "enum" in s:
            return f"{value}.rawValue"
        if shape_name in POLICY_DOCUMENT_SHAPES:
            return f"WireFormat.percentEncode({value})"
        return value
    if t in ("integer", "long", "double", "float"):
        return f"String({value})"
    if t == "boolean":
        return f"{value} ? \"true\" : \"false\""
    if t == "timestamp":
        return f"WireFormat.timestamp({value})"
    if t == "blob":
        return f"WireFormat.base64({value})"
    raise SystemExit(f"{svc.ns}: unsupported output scalar {shape_name} ({t})")


def emit_encoding(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    required = set(s.get("required", []))
    members = list(s["members"].items())
    lines = [f"extension {svc.ns}.{tname}: XMLEncodable {{",
             f"    /// Writes the members of `{name}` in model order, skipping absent ones.",
             "    public func encodeXML(to w: inout XMLWriter) {"]
    for mname, m in members:
        ident = member_identifier(mname)
        wire = m.get("locationName", mname)
        if mname in required:
            lines.append("        " + encode_stmt(svc, m["shape"], wire, f"self.{ident.strip('`')}"))
        else:
            lines.append(f"        if let v = self.{ident.strip('`')} {{ " + encode_stmt(svc, m["shape"], wire, "v") + " }")
    lines += ["    }", "}"]
    return lines


# ---------------------------------------------------------------- JSON (json, rest-json)

TEXT_TYPES = {"string": ".string", "integer": ".integer", "long": ".integer", "boolean": ".boolean",
              "double": ".double", "float": ".double", "timestamp": ".timestamp"}


def json_decode_expr(svc, shape_name, value, loc, required):
    """A Swift expression that reads one member from the JSON value `value` (a `WireJSON?` expression), locating
    violations at `loc` (a Swift String expression); its type is the optional Swift type of the shape."""
    s = svc.shapes[shape_name]
    t = s["type"]
    head = f"{value}, {loc}, required: {'true' if required else 'false'}"
    if t == "structure":
        return f"r.structure({head}, {svc.ns}.{type_name(shape_name)}.decode)"
    if t == "list":
        elem_name = s["member"]["shape"]
        elem = svc.shapes[elem_name]
        rule = svc.count_rule(shape_name)
        if elem["type"] == "string" and "enum" in elem:
            return f"r.enumList({head}, {rule}, {svc.ns}.{type_name(elem_name)}.self)"
        if elem["type"] == "string":
            return f"r.stringList({head}, {rule}, {svc.string_rule(elem_name)})"
        inner = json_decode_expr(svc, elem_name, "j", "l", True)
        return f"r.list({head}, {rule}) {{ r, j, l in {inner} }}"
    if t == "map":
        key_rule = svc.string_rule(s["key"]["shape"])
        value_shape = s["value"]["shape"]
        vs = svc.shapes[value_shape]
        rule = svc.count_rule(shape_name)
        if vs["type"] == "string" and "enum" not in vs:
            return f"r.stringMap({head}, {rule}, {key_rule}, {svc.string_rule(value_shape)})"
        inner = json_decode_expr(svc, value_shape, "j", "l", True)
        return f"r.map({head}, {rule}, {key_rule}) {{ r, j, l in {inner} }}"
    if t == "string":
        if "enum" in s:
            return f"r.enumeration({head}, {svc.ns}.{type_name(shape_name)}.self)"
        return f"r.string({head}, {svc.string_rule(shape_name)})"
    if t in ("integer", "long"):
        return f"r.integer({head}, {svc.int_rule(shape_name)})"
    if t in ("double", "float"):
        if "min" in s or "max" in s:
            raise SystemExit(f"{svc.ns}: range on {t} shape {shape_name} is not supported")
        return f"r.double({head})"
    if t == "boolean":
        return f"r.boolean({head})"
    if t == "timestamp":
        return f"r.timestamp({head})"
    if t == "blob":
        return f"r.blob({head}, {svc.string_rule(shape_name)})"
    raise SystemExit(f"{svc.ns}: unsupported input shape {shape_name} ({t})")


def bound_value(svc, mname, m):
    """The `WireJSON?` expression of a REST input member: from `HTTPBindings` when bound, else from the body."""
    location = m.get("location")
    wire = m.get("locationName", mname)
    if location is None:
        return f"o[{swift_string(wire)}]"
    s = svc.shapes[m["shape"]]
    if location in ("uri", "header") or (location == "querystring" and s["type"] != "list"):
        if s["type"] not in TEXT_TYPES:
            raise SystemExit(f"{svc.ns}: {location} binding of {s['type']} member {mname} is not supported")
        return f"b.{location}({swift_string(wire)}, {TEXT_TYPES[s['type']]})"
    if location == "querystring":
        elem = svc.shapes[s["member"]["shape"]]
        if elem["type"] not in TEXT_TYPES:
            raise SystemExit(f"{svc.ns}: querystring list of {elem['type']} ({mname}) is not supported")
        return f"b.querystringList({swift_string(wire)}, {TEXT_TYPES[elem['type']]})"
    raise SystemExit(f"{svc.ns}: member {mname} bound to {location} is not supported")


def emit_json_decoding(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    required = set(s.get("required", []))
    members = list(s["members"].items())
    rest = name in svc.rest_inputs
    if rest:
        lines = [f"extension {svc.ns}.{tname}: HTTPBindingDecodable {{",
                 f"    /// Decodes and validates `{name}` from the request's bindings and JSON body, reporting every violation.",
                 "    public init(http b: HTTPBindings) throws(ValidationFailure) {",
                 "        var r = JSONReader()",
                 "        let value = r.root(b.body) { r, o, l in Self.decode(&r, o, l, b) }",
                 "        self = try r.finish(value)",
                 "    }",
                 "",
                 "    /// Reads the bound members from `b` and the others from body object `o`, locating violations under `l`.",
                 "    static func decode(_ r: inout JSONReader, _ o: JSONFields, _ l: String, _ b: HTTPBindings) -> Self? {"]
    else:
        lines = [f"extension {svc.ns}.{tname}: JSONDecodable {{",
                 f"    /// Decodes and validates `{name}` from a JSON body, reporting every violation.",
                 "    public init(json: WireJSON) throws(ValidationFailure) {",
                 "        var r = JSONReader()",
                 "        let value = r.root(json, Self.decode)",
                 "        self = try r.finish(value)",
                 "    }",
                 "",
                 "    /// Reads the members of object `o`, locating violations under `l` (`\"\"` or `lookupAttributes.1.member.`).",
                 "    static func decode(_ r: inout JSONReader, _ o: JSONFields, _ l: String) -> Self? {"]
    if not members:
        lines.append("        Self()")
        lines += ["    }", "}"]
        return lines
    for mname, m in members:
        if "location" in m and not rest:
            raise SystemExit(f"{svc.ns}: bound member {mname} of nested shape {name} is not supported")
        value = bound_value(svc, mname, m) if rest else f"o[{swift_string(m.get('locationName', mname))}]"
        loc = f"l + {swift_string(lower_first(mname))}"
        expr = json_decode_expr(svc, m["shape"], value, loc, mname in required)
        lines.append(f"        let v_{lower_camel(mname)} = {expr}")
    req_locals = ["v_" + lower_camel(mname) for mname, _ in members if mname in required]
    if req_locals:
        lines.append("        guard " + ", ".join(f"let {v}" for v in req_locals) + " else { return nil }")
    args = ", ".join(f"{member_identifier(mname).strip('`')}: v_{lower_camel(mname)}" for mname, _ in members)
    lines.append(f"        return Self({args})")
    lines += ["    }", "}"]
    return lines


def timestamp_format(svc, shape_name, member):
    return (member or {}).get("timestampFormat") or svc.shapes[shape_name].get("timestampFormat") or "unixTimestamp"


def json_value_expr(svc, shape_name, value, member=None):
    """A Swift expression of type WireJSON for the non-optional value `value` of a shape."""
    s = svc.shapes[shape_name]
    t = s["type"]
    if t == "structure":
        return f"{value}.encodeJSON()"
    if t == "list":
        inner = json_value_expr(svc, s["member"]["shape"], "$0")
        return f"WireJSON.array({value}.map {{ {inner} }})"
    if t == "map":
        inner = json_value_expr(svc, s["value"]["shape"], "$0")
        return f"WireJSON.map({value}) {{ {inner} }}"
    if t == "string":
        return f"WireJSON.string({value}.rawValue)" if "enum" in s else f"WireJSON.string({value})"
    if t in ("integer", "long"):
        return f"WireJSON.int({value})"
    if t in ("double", "float"):
        return f"WireJSON.double({value})"
    if t == "boolean":
        return f"WireJSON.bool({value})"
    if t == "timestamp":
        fmt = timestamp_format(svc, shape_name, member)
        if fmt == "unixTimestamp":
            return f"WireJSON.epochSeconds({value})"
        if fmt == "iso8601":
            return f"WireJSON.string(WireFormat.timestamp({value}))"
        raise SystemExit(f"{svc.ns}: timestampFormat {fmt} of {shape_name} is not supported in JSON")
    if t == "blob":
        return f"WireJSON.string(WireFormat.base64({value}))"
    raise SystemExit(f"{svc.ns}: unsupported output shape {shape_name} ({t})")


def emit_json_encoding(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    required = set(s.get("required", []))
    members = list(s["members"].items())
    lines = [f"extension {svc.ns}.{tname}: JSONEncodable {{",
             f"    /// `{name}` as a JSON object: members in model order under their wire names, absent ones omitted.",
             "    public func encodeJSON() -> WireJSON {"]
    if not members:
        lines += ["        WireJSON.object([])", "    }", "}"]
        return lines
    lines.append(f"        var o: [WireJSON.Member] = []")
    lines.append(f"        o.reserveCapacity({len(members)})")
    for mname, m in members:
        if "location" in m:
            raise SystemExit(f"{svc.ns}: output member {mname} of {name} bound to {m['location']} is not supported")
        ident = member_identifier(mname).strip("`")
        wire = swift_string(m.get("locationName", mname))
        if mname in required:
            lines.append(f"        o.append(WireJSON.Member({wire}, {json_value_expr(svc, m['shape'], 'self.' + ident, m)}))")
        else:
            lines.append(f"        if let v = self.{ident} {{ o.append(WireJSON.Member({wire}, {json_value_expr(svc, m['shape'], 'v', m)})) }}")
    lines += ["        return WireJSON.object(o)", "    }", "}"]
    return lines


def emit_enum(svc, name):
    s = svc.shapes[name]
    tname = type_name(name)
    doc = first_sentence(s.get("documentation")) or f"The values of `{name}` in the {svc.ns} API."
    lines = [f"    /// {doc_line(doc)}",
             f"    public enum {tname}: String, Sendable, CaseIterable {{"]
    seen = set()
    for v in s["enum"]:
        case = enum_case_name(v)
        if case in seen:
            raise SystemExit(f"{svc.ns}: enum {name} has two values named {case}")
        seen.add(case)
        lines.append(f"        /// `{v}`")
        lines.append(f"        case {case} = {swift_string(v)}")
    lines.append("    }")
    return lines


def chunk(blocks, limit=LINES_PER_FILE):
    """Groups blocks (lists of lines) into files of about `limit` lines."""
    files, current, size = [], [], 0
    for b in blocks:
        if current and size + len(b) > limit:
            files.append(current)
            current, size = [], 0
        current.append(b)
        size += len(b) + 1
    if current:
        files.append(current)
    return files


def write(out_dir, filename, lines):
    path = os.path.join(out_dir, filename)
    text = "\n".join(lines).rstrip() + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return filename


def generate_service(svc, out_dir):
    written = []
    ns = svc.ns
    meta = svc.model["metadata"]
    query = svc.protocol == "query"
    # Namespace.
    if query:
        lines = header(svc, f"The {meta['serviceFullName']} API namespace.") + [
            f"/// The {meta['serviceFullName']} API ({meta['apiVersion']}): its shapes, operations and errors, generated",
            "/// from the botocore model.",
            f"public enum {ns} {{",
            "    /// The XML namespace of responses.",
            f"    public static let namespace = {swift_string(meta['xmlNamespace'])}",
            "    /// The API version clients send as `Version`.",
            f"    public static let version = {swift_string(meta['apiVersion'])}",
            "    /// The signing name in SigV4 credential scopes.",
            f"    public static let signingName = {swift_string(meta.get('signingName', meta['endpointPrefix']))}",
            "}",
        ]
    else:
        wire = {"json": ".json", "rest-json": ".restJSON"}[svc.protocol]
        lines = header(svc, f"The {meta['serviceFullName']} API namespace.") + [
            f"/// The {meta['serviceFullName']} API ({meta['apiVersion']}): its shapes, operations and errors, generated",
            "/// from the botocore model.",
            f"public enum {ns} {{",
            f"    /// The wire protocol (`{svc.protocol}`).",
            f"    public static let wireProtocol: WireProtocol = {wire}",
            "    /// The API version.",
            f"    public static let version = {swift_string(meta['apiVersion'])}",
            "    /// The signing name in SigV4 credential scopes.",
            f"    public static let signingName = {swift_string(meta.get('signingName', meta['endpointPrefix']))}",
            "    /// The endpoint prefix: the first label of the service's AWS host name.",
            f"    public static let endpointPrefix = {swift_string(meta['endpointPrefix'])}",
        ]
        if svc.protocol == "json":
            lines += [
                "    /// The `X-Amz-Target` prefix: requests name their operation as `<targetPrefix>.<Operation>`.",
                f"    public static let targetPrefix = {swift_string(meta['targetPrefix'])}",
                f"    /// The JSON RPC version: bodies are `application/x-amz-json-{meta.get('jsonVersion', '1.0')}`.",
                f"    public static let jsonVersion = {swift_string(meta.get('jsonVersion', '1.0'))}",
            ]
        lines.append("}")
    written.append(write(out_dir, f"{ns}.swift", lines))

    # Enums.
    blocks = [emit_enum(svc, n) for n in sorted(svc.enums, key=str.lower)]
    if blocks:
        body = header(svc, "String enum shapes.") + [f"extension {ns} {{"]
        for b in blocks:
            body += b + [""]
        body[-1:] = ["}"]
        written.append(write(out_dir, f"{ns}+Enums.swift", body))

    structures = sorted(svc.structures, key=str.lower)

    # Struct declarations.
    files = chunk([emit_struct(svc, n) for n in structures])
    for i, group in enumerate(files, 1):
        body = header(svc, "Structure shapes (declarations).") + ["import Foundation", "", f"extension {ns} {{"]
        for b in group:
            body += b + [""]
        body[-1:] = ["}"]
        written.append(write(out_dir, f"{ns}+Shapes{i}.swift", body))

    # Decoding.
    inputs = [n for n in structures if n in svc.input_shapes]
    files = chunk([(emit_decoding if query else emit_json_decoding)(svc, n) for n in inputs])
    for i, group in enumerate(files, 1):
        title = "AWS Query decoding of request shapes." if query else "JSON decoding of request shapes."
        body = header(svc, title) + ["import Foundation", ""]
        for b in group:
            body += b + [""]
        written.append(write(out_dir, f"{ns}+Decoding{i}.swift", body))

    # Encoding.
    outputs = [n for n in structures if n in svc.output_shapes]
    files = chunk([(emit_encoding if query else emit_json_encoding)(svc, n) for n in outputs])
    for i, group in enumerate(files, 1):
        title = "XML encoding of response shapes." if query else "JSON encoding of response shapes."
        body = header(svc, title) + ["import Foundation", ""]
        for b in group:
            body += b + [""]
        written.append(write(out_dir, f"{ns}+Encoding{i}.swift", body))

    # Rules (collected while emitting decoders).
    body = header(svc, "Constraints of the request shapes, checked while decoding.") + [
        f"extension {ns} {{",
        "    /// The model's constraint traits by shape name; compiled on first use.",
        "    enum Rules {"]
    for ident in sorted(svc.rules, key=lambda k: k.strip("`").lower()):
        kind, init, shape = svc.rules[ident]
        body.append(f"        static let {ident} = {init}")
    body += ["", "        /// Every rule, so tests can force each pattern to compile.",
             "        static func all() -> [Any] {", "            var out: [Any] = []"]
    for ident in sorted(svc.rules, key=lambda k: k.strip("`").lower()):
        body.append(f"            out.append({ident})")
    body += ["            return out", "        }", "    }", "}"]
    written.append(write(out_dir, f"{ns}+Rules.swift", body))

    # Errors.
    errors = []
    for n in sorted(svc.exceptions):
        e = svc.shapes[n].get("error", {})
        if "senderFault" in e or query:
            sender = bool(e.get("senderFault", False))
        else:
            # JSON models mark server-side errors with `fault`; every other modeled error is the caller's.
            sender = not svc.shapes[n].get("fault", False)
        errors.append((n, e.get("code", n), int(e.get("httpStatusCode", 400)), sender))
    code_of = {n: c for n, c, _, _ in errors}
    body = header(svc, "Modeled errors.") + [
        f"extension {ns} {{",
        "    /// The modeled errors by wire code.",
        "    public static let errors: [String: ErrorDescriptor] = {",
        "        var e: [String: ErrorDescriptor] = [:]"]
    for n, c, st, snd in errors:
        body.append(f"        e[{swift_string(c)}] = ErrorDescriptor(shapeName: {swift_string(n)}, code: {swift_string(c)}, "
                    f"httpStatus: {st}, isSender: {'true' if snd else 'false'})")
    body += ["        return e", "    }()", "",
             "    /// The default HTTP status of each modeled error, by wire code.",
             "    public static let errorStatus: [String: Int] = errors.mapValues(\\.httpStatus)",
             "}"]
    written.append(write(out_dir, f"{ns}+Errors.swift", body))

    # Operations.
    body = header(svc, "The operation registry.") + [
        f"extension {ns} {{",
        f"    /// Every operation of the model ({len(svc.ops)}), by name.",
        "    public static let operations: [String: OperationDescriptor] = {",
        "        var o: [String: OperationDescriptor] = [:]"]
    for name in sorted(svc.ops):
        op = svc.ops[name]
        inp = op.get("input", {}).get("shape")
        out = op.get("output", {}).get("shape")
        wrapper = op.get("output", {}).get("resultWrapper")
        errs = [code_of.get(e["shape"], e["shape"]) for e in op.get("errors", [])]
        doc = first_sentence(op.get("documentation"), limit=400)

        def opt(v):
            return swift_string(v) if v else "nil"
        errlist = "[" + ", ".join(swift_string(e) for e in errs) + "]"
        body.append(f"        o[{swift_string(name)}] = OperationDescriptor(")
        body.append(f"            name: {swift_string(name)}, inputShape: {opt(inp)}, outputShape: {opt(out)}, "
                    f"resultWrapper: {opt(wrapper)},")
        body.append(f"            errors: {errlist}, isPaginated: {'true' if name in svc.paginators else 'false'},")
        if svc.protocol.startswith("rest-"):
            http = op["http"]
            status = int(http.get("responseCode", 200))
            body.append(f"            documentation: {swift_string(doc)},")
            body.append(f"            httpMethod: {swift_string(http['method'])}, requestURI: {swift_string(http['requestUri'])}"
                        + (f", successStatus: {status})" if status != 200 else ")"))
        else:
            body.append(f"            documentation: {swift_string(doc)})")
    body += ["        return o", "    }()", "}"]
    written.append(write(out_dir, f"{ns}+Operations.swift", body))

    # The service descriptor the server routes by.
    wire = {"query": ".query", "json": ".json", "rest-json": ".restJSON"}[svc.protocol]
    args = [f"name: {swift_string(ns)}", f"fullName: {swift_string(meta['serviceFullName'])}", f"wireProtocol: {wire}",
            "apiVersion: version", "signingName: signingName",
            f"endpointPrefix: {swift_string(meta['endpointPrefix'])}"]
    if svc.protocol == "json":
        args += ["targetPrefix: targetPrefix", "jsonVersion: jsonVersion"]
    if query:
        args.append("xmlNamespace: namespace")
    args += ["operations: operations", "errors: errors"]
    body = header(svc, "The service descriptor.") + [
        f"extension {ns} {{",
        "    /// The service as the server routes to it: protocol, names, operations and errors.",
        "    public static let service = ServiceDescriptor(",
        "        " + ", ".join(args) + ")",
        "}"]
    written.append(write(out_dir, f"{ns}+Service.swift", body))
    return written


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Sources", "WardenWire", "Generated")
    os.makedirs(out_dir, exist_ok=True)
    namespaces = [ns for ns, _, _ in SERVICES]
    for f in os.listdir(out_dir):
        if f.endswith(".swift") and any(f == ns + ".swift" or f.startswith(ns + "+") for ns in namespaces):
            os.remove(os.path.join(out_dir, f))
    total = []
    for ns, model, paginators, version in load_models():
        svc = Service(ns, model, paginators, version)
        total += generate_service(svc, out_dir)
        print(f"{ns}: {len(svc.ops)} operations, {len(svc.structures)} structures, {len(svc.enums)} enums, "
              f"{len(svc.rules)} rules")
    print(f"wrote {len(total)} files to {out_dir}")


if __name__ == "__main__":
    main()
