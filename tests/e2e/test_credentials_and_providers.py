"""SSH keys, signing and server certificates, service-specific credentials, OIDC and SAML providers and the
credential report, through boto3, with keys and certificates made by the `cryptography` package."""

import base64
import csv
import datetime
import hashlib
import io
import json
import os

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from conftest import ACCOUNT_ID, ROOT_KEY, Server, client, code, unique

NOW = datetime.datetime.now(datetime.timezone.utc)


def status(exc_info):
    return exc_info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def openssh(key, comment=None):
    text = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return text + (f" {comment}" if comment else "")


def ssh_fingerprint(openssh_text):
    digest = hashlib.md5(base64.b64decode(openssh_text.split()[1])).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def pem_public(key, fmt=serialization.PublicFormat.SubjectPublicKeyInfo):
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt).decode()


def pem_private(key, password=None):
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc).decode()


def make_cert(key=None, cn="warden.test", days=365, start=None, issuer=None):
    """A certificate for `key`; self-signed unless `issuer` = (issuer_key, issuer_cert)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    start = start or NOW - datetime.timedelta(days=1)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    signer, issuer_name = (issuer[0], issuer[1].subject) if issuer else (key, subject)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=days)).sign(signer, hashes.SHA256()))
    return key, cert


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


# ---------------------------------------------------------------- SSH public keys

def test_ssh_key_lifecycle_and_encodings(iam):
    u = unique("ssh")
    iam.create_user(UserName=u)
    key = rsa_key()
    body = openssh(key, "alice@laptop")
    up = iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=body)["SSHPublicKey"]
    kid = up["SSHPublicKeyId"]
    assert kid.startswith("APKA") and len(kid) == 20
    assert up["Fingerprint"] == ssh_fingerprint(body)
    assert up["Status"] == "Active" and up["UserName"] == u
    got = iam.get_ssh_public_key(UserName=u, SSHPublicKeyId=kid, Encoding="SSH")["SSHPublicKey"]
    assert got["SSHPublicKeyBody"] == body and got["Fingerprint"] == up["Fingerprint"]
    pem = iam.get_ssh_public_key(UserName=u, SSHPublicKeyId=kid, Encoding="PEM")["SSHPublicKey"]["SSHPublicKeyBody"]
    assert serialization.load_pem_public_key(pem.encode()).public_numbers() == key.public_key().public_numbers()
    iam.update_ssh_public_key(UserName=u, SSHPublicKeyId=kid, Status="Inactive")
    listed = iam.list_ssh_public_keys(UserName=u)["SSHPublicKeys"]
    assert [(k["SSHPublicKeyId"], k["Status"]) for k in listed] == [(kid, "Inactive")]
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=u)
    assert code(e) == "DeleteConflict"
    iam.delete_ssh_public_key(UserName=u, SSHPublicKeyId=kid)
    assert iam.list_ssh_public_keys(UserName=u)["SSHPublicKeys"] == []
    with pytest.raises(ClientError) as e:
        iam.get_ssh_public_key(UserName=u, SSHPublicKeyId=kid, Encoding="SSH")
    assert code(e) == "NoSuchEntity"
    iam.delete_user(UserName=u)


@pytest.mark.parametrize("make", [lambda: ed25519.Ed25519PrivateKey.generate(),
                                  lambda: ec.generate_private_key(ec.SECP256R1()),
                                  lambda: ec.generate_private_key(ec.SECP384R1()),
                                  lambda: ec.generate_private_key(ec.SECP521R1())],
                         ids=["ed25519", "p256", "p384", "p521"])
def test_ssh_key_types_and_pem_upload(iam, make):
    u = unique("sshk")
    iam.create_user(UserName=u)
    key = make()
    body = openssh(key)
    up = iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=body)["SSHPublicKey"]
    assert up["Fingerprint"] == ssh_fingerprint(body)
    pem = iam.get_ssh_public_key(UserName=u, SSHPublicKeyId=up["SSHPublicKeyId"], Encoding="PEM")["SSHPublicKey"]["SSHPublicKeyBody"]
    assert serialization.load_pem_public_key(pem.encode()).public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() == body
    # The same key as PEM is the same key: same fingerprint, so a duplicate.
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=pem_public(key))
    assert code(e) == "DuplicateSSHPublicKey" and status(e) == 400


def test_ssh_pem_upload_converts_to_openssh(iam):
    u = unique("sshpem")
    iam.create_user(UserName=u)
    for fmt in (serialization.PublicFormat.SubjectPublicKeyInfo, serialization.PublicFormat.PKCS1):
        key = rsa_key()
        up = iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=pem_public(key, fmt))["SSHPublicKey"]
        assert up["Fingerprint"] == ssh_fingerprint(openssh(key))
        got = iam.get_ssh_public_key(UserName=u, SSHPublicKeyId=up["SSHPublicKeyId"], Encoding="SSH")["SSHPublicKey"]
        assert got["SSHPublicKeyBody"] == openssh(key)


def test_ssh_key_errors_and_quota(iam):
    u = unique("sshbad")
    iam.create_user(UserName=u)
    for body in ("not a key at all", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"):
        with pytest.raises(ClientError) as e:
            iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=body)
        assert code(e) == "UnrecognizedPublicKeyEncoding", body
    good = openssh(rsa_key())
    blob = base64.b64decode(good.split()[1])
    for body in (openssh(rsa_key(1024)),  # below IAM's 2048-bit minimum
                 "ssh-rsa " + base64.b64encode(blob[:-10]).decode(),  # truncated blob
                 "ssh-ed25519 " + good.split()[1],  # type does not match the blob
                 "ssh-rsa !!!notbase64!!!"):
        with pytest.raises(ClientError) as e:
            iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=body)
        assert code(e) == "InvalidPublicKey", body
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName="no-such-user-x", SSHPublicKeyBody=good)
    assert code(e) == "NoSuchEntity"
    for _ in range(5):
        iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=openssh(ed25519.Ed25519PrivateKey.generate()))
    with pytest.raises(ClientError) as e:
        iam.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=good)
    assert code(e) == "LimitExceeded"
    page = iam.list_ssh_public_keys(UserName=u, MaxItems=2)
    assert len(page["SSHPublicKeys"]) == 2 and page["IsTruncated"]
    rest = iam.list_ssh_public_keys(UserName=u, Marker=page["Marker"])["SSHPublicKeys"]
    assert len(rest) == 3


# ---------------------------------------------------------------- signing certificates

def test_signing_certificates(iam):
    u = unique("sign")
    iam.create_user(UserName=u)
    _, c1 = make_cert(rsa_key(), cn="one")
    up = iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(c1))["Certificate"]
    cid = up["CertificateId"]
    assert len(cid) == 32 and up["Status"] == "Active" and up["UserName"] == u and up["CertificateBody"] == cert_pem(c1)
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(c1))
    assert code(e) == "DuplicateCertificate" and status(e) == 409
    iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(make_cert(cn="two")[1]))
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(make_cert(cn="three")[1]))
    assert code(e) == "LimitExceeded"
    assert e.value.response["Error"]["Message"] == "Cannot exceed quota for CertificatesPerUser: 2"   # AWS's wording
    iam.update_signing_certificate(UserName=u, CertificateId=cid, Status="Inactive")
    certs = {c["CertificateId"]: c["Status"] for c in iam.list_signing_certificates(UserName=u)["Certificates"]}
    assert certs[cid] == "Inactive" and len(certs) == 2
    iam.delete_signing_certificate(UserName=u, CertificateId=cid)
    with pytest.raises(ClientError) as e:
        iam.delete_signing_certificate(UserName=u, CertificateId=cid)
    assert code(e) == "NoSuchEntity"


def test_signing_certificate_errors(iam):
    u = unique("signbad")
    iam.create_user(UserName=u)
    for body in ("garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", pem_private(rsa_key())):
        with pytest.raises(ClientError) as e:
            iam.upload_signing_certificate(UserName=u, CertificateBody=body)
        assert code(e) == "MalformedCertificate"
    _, expired = make_cert(start=NOW - datetime.timedelta(days=30), days=10)
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(expired))
    assert code(e) == "MalformedCertificate"
    _, future = make_cert(start=NOW + datetime.timedelta(days=30))
    with pytest.raises(ClientError) as e:
        iam.upload_signing_certificate(UserName=u, CertificateBody=cert_pem(future))
    assert code(e) == "InvalidCertificate"


def test_signing_certificate_of_the_caller(server, iam):
    u = unique("signself")
    iam.create_user(UserName=u)
    k = iam.create_access_key(UserName=u)["AccessKey"]
    iam.attach_user_policy(UserName=u, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    me = client(server, "iam", k["AccessKeyId"], k["SecretAccessKey"])
    cid = me.upload_signing_certificate(CertificateBody=cert_pem(make_cert()[1]))["Certificate"]["CertificateId"]
    assert [c["CertificateId"] for c in me.list_signing_certificates()["Certificates"]] == [cid]
    assert [c["CertificateId"] for c in iam.list_signing_certificates(UserName=u)["Certificates"]] == [cid]


# ---------------------------------------------------------------- server certificates

def test_server_certificate_lifecycle(iam):
    name = unique("srv")
    ca_key, ca = make_cert(cn="Warden Test CA", days=3650)
    key, cert = make_cert(rsa_key(), cn="www.example.test", days=90, issuer=(ca_key, ca))
    meta = iam.upload_server_certificate(ServerCertificateName=name, Path="/web/", CertificateBody=cert_pem(cert),
                                         PrivateKey=pem_private(key), CertificateChain=cert_pem(ca),
                                         Tags=[{"Key": "env", "Value": "test"}])
    m = meta["ServerCertificateMetadata"]
    assert m["ServerCertificateId"].startswith("ASCA") and len(m["ServerCertificateId"]) == 21
    assert m["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:server-certificate/web/{name}"
    assert m["Expiration"].replace(microsecond=0) == cert.not_valid_after_utc.replace(microsecond=0)
    assert meta["Tags"] == [{"Key": "env", "Value": "test"}]
    got = iam.get_server_certificate(ServerCertificateName=name)["ServerCertificate"]
    assert got["CertificateBody"] == cert_pem(cert) and got["CertificateChain"] == cert_pem(ca)
    assert got["Tags"] == [{"Key": "env", "Value": "test"}] and "PrivateKey" not in got
    assert name in [c["ServerCertificateName"] for c in iam.list_server_certificates(PathPrefix="/web/")["ServerCertificateMetadataList"]]
    assert name not in [c["ServerCertificateName"] for c in iam.list_server_certificates(PathPrefix="/other/")["ServerCertificateMetadataList"]]
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=cert_pem(cert), PrivateKey=pem_private(key))
    assert code(e) == "EntityAlreadyExists"
    new = name + "-renamed"
    iam.update_server_certificate(ServerCertificateName=name, NewServerCertificateName=new, NewPath="/api/")
    with pytest.raises(ClientError) as e:
        iam.get_server_certificate(ServerCertificateName=name)
    assert code(e) == "NoSuchEntity"
    m2 = iam.get_server_certificate(ServerCertificateName=new)["ServerCertificate"]["ServerCertificateMetadata"]
    assert m2["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:server-certificate/api/{new}" and m2["ServerCertificateId"] == m["ServerCertificateId"]
    iam.tag_server_certificate(ServerCertificateName=new, Tags=[{"Key": "team", "Value": "web"}])
    iam.untag_server_certificate(ServerCertificateName=new, TagKeys=["env"])
    assert iam.list_server_certificate_tags(ServerCertificateName=new)["Tags"] == [{"Key": "team", "Value": "web"}]
    iam.delete_server_certificate(ServerCertificateName=new)
    with pytest.raises(ClientError) as e:
        iam.delete_server_certificate(ServerCertificateName=new)
    assert code(e) == "NoSuchEntity"


def test_server_certificate_errors(iam):
    key, cert = make_cert()
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName=unique("mm"), CertificateBody=cert_pem(cert), PrivateKey=pem_private(other))
    assert code(e) == "KeyPairMismatch"
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName=unique("bad"), CertificateBody="nope", PrivateKey=pem_private(key))
    assert code(e) == "MalformedCertificate"
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName=unique("enc"), CertificateBody=cert_pem(cert),
                                      PrivateKey=pem_private(key, password=b"secret"))
    assert code(e) == "MalformedCertificate"
    with pytest.raises(ClientError) as e:
        iam.upload_server_certificate(ServerCertificateName=unique("chain"), CertificateBody=cert_pem(cert),
                                      PrivateKey=pem_private(key), CertificateChain="-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----")
    assert code(e) == "MalformedCertificate"
    # A traditional (PKCS#1) RSA key works as well as PKCS#8.
    rkey, rcert = make_cert(rsa_key())
    trad = rkey.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()).decode()
    n = unique("trad")
    iam.upload_server_certificate(ServerCertificateName=n, CertificateBody=cert_pem(rcert), PrivateKey=trad)
    iam.delete_server_certificate(ServerCertificateName=n)


# ---------------------------------------------------------------- service-specific credentials

def test_service_specific_credentials(iam):
    u = unique("git")
    iam.create_user(UserName=u)
    c1 = iam.create_service_specific_credential(UserName=u, ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
    assert c1["ServiceUserName"] == f"{u}-at-{ACCOUNT_ID}" and len(c1["ServicePassword"]) == 44
    assert c1["ServiceSpecificCredentialId"].startswith("ACCA") and c1["Status"] == "Active"
    c2 = iam.create_service_specific_credential(UserName=u, ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
    assert c2["ServiceUserName"] == f"{u}+1-at-{ACCOUNT_ID}"
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName=u, ServiceName="codecommit.amazonaws.com")
    assert code(e) == "LimitExceeded"
    ks = iam.create_service_specific_credential(UserName=u, ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredential"]
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName=u, ServiceName="s3.amazonaws.com")
    assert code(e) == "NotSupportedService" and status(e) == 404
    with pytest.raises(ClientError) as e:
        iam.create_service_specific_credential(UserName=u, ServiceName="codecommit.amazonaws.com", CredentialAgeDays=30)
    assert code(e) == "InvalidInput"
    listed = iam.list_service_specific_credentials(UserName=u)["ServiceSpecificCredentials"]
    assert {c["ServiceSpecificCredentialId"] for c in listed} == {c1["ServiceSpecificCredentialId"], c2["ServiceSpecificCredentialId"],
                                                                  ks["ServiceSpecificCredentialId"]}
    assert all("ServicePassword" not in c for c in listed)
    only = iam.list_service_specific_credentials(UserName=u, ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredentials"]
    assert [c["ServiceSpecificCredentialId"] for c in only] == [ks["ServiceSpecificCredentialId"]]
    iam.update_service_specific_credential(UserName=u, ServiceSpecificCredentialId=c1["ServiceSpecificCredentialId"], Status="Inactive")
    reset = iam.reset_service_specific_credential(UserName=u, ServiceSpecificCredentialId=c1["ServiceSpecificCredentialId"])
    reset = reset["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != c1["ServicePassword"] and reset["Status"] == "Inactive"
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=u)
    assert code(e) == "DeleteConflict"
    for c in (c1, c2, ks):
        iam.delete_service_specific_credential(UserName=u, ServiceSpecificCredentialId=c["ServiceSpecificCredentialId"])
    with pytest.raises(ClientError) as e:
        iam.delete_service_specific_credential(UserName=u, ServiceSpecificCredentialId=c1["ServiceSpecificCredentialId"])
    assert code(e) == "NoSuchEntity"
    iam.delete_user(UserName=u)


def test_bedrock_api_key(iam):
    u = unique("bedrock")
    iam.create_user(UserName=u)
    c = iam.create_service_specific_credential(UserName=u, ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)
    c = c["ServiceSpecificCredential"]
    assert c["ServiceCredentialSecret"].startswith("ABSK") and "ServicePassword" not in c
    assert c["ServiceCredentialAlias"].endswith(f"-at-{ACCOUNT_ID}")
    assert abs((c["ExpirationDate"] - c["CreateDate"]).total_seconds() - 30 * 86400) < 2
    listed = iam.list_service_specific_credentials(UserName=u, ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredentials"]
    assert listed[0]["ServiceCredentialAlias"] == c["ServiceCredentialAlias"] and "ExpirationDate" in listed[0]
    everyone = iam.list_service_specific_credentials(AllUsers=True, ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredentials"]
    assert c["ServiceSpecificCredentialId"] in [x["ServiceSpecificCredentialId"] for x in everyone]


# ---------------------------------------------------------------- OIDC providers

THUMB = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"


def test_oidc_provider_lifecycle(iam):
    host = unique("idp") + ".example.com"
    arn = iam.create_open_id_connect_provider(Url=f"https://{host}/tenant", ClientIDList=["app-1", "app-1", "app-2"],
                                              ThumbprintList=[THUMB], Tags=[{"Key": "k", "Value": "v"}])["OpenIDConnectProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{host}/tenant"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["Url"] == f"{host}/tenant" and got["ClientIDList"] == ["app-1", "app-2"] and got["ThumbprintList"] == [THUMB]
    assert got["Tags"] == [{"Key": "k", "Value": "v"}]
    assert arn in [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url=f"https://{host}/tenant", ThumbprintList=[THUMB])
    assert code(e) == "EntityAlreadyExists"
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-3")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-3")  # idempotent
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="app-1")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="never-there")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["app-2", "app-3"]
    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=["a" * 40, "b" * 40])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == ["a" * 40, "b" * 40]
    iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=arn, Tags=[{"Key": "team", "Value": "id"}])
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["k"])
    assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)["Tags"] == [{"Key": "team", "Value": "id"}]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert code(e) == "NoSuchEntity"
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)  # documented as idempotent


def test_oidc_provider_validation(iam):
    host = unique("idp2") + ".example.com"
    arn = iam.create_open_id_connect_provider(Url=f"https://{host}")["OpenIDConnectProviderArn"]  # thumbprints optional
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == []
    for url in (f"http://{host}/x", f"https://{host}/x?a=b", "https://"):
        with pytest.raises(ClientError) as e:
            iam.create_open_id_connect_provider(Url=url, ThumbprintList=[THUMB])
        assert code(e) in ("ValidationError", "InvalidInput"), url
    with pytest.raises(ClientError) as e:
        iam.create_open_id_connect_provider(Url=f"https://{host}/six", ThumbprintList=[f"{i}" * 40 for i in range(6)])
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=["z" * 40])
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn=f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/missing.example.com")
    assert code(e) == "NoSuchEntity"
    with pytest.raises(ClientError) as e:
        iam.get_open_id_connect_provider(OpenIDConnectProviderArn="not-an-arn-at-all-really")
    assert code(e) == "InvalidInput"


# ---------------------------------------------------------------- SAML providers

def saml_metadata(entity_id="https://idp.example.test/saml", cert=None, valid_until=None, root="md:EntityDescriptor",
                  idp=True, use="signing", cert_b64=None):
    if cert_b64 is None:
        cert = cert or make_cert(rsa_key(), cn="idp.example.test")[1]
        cert_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    vu = f' validUntil="{valid_until}"' if valid_until else ""
    key = (f'<md:KeyDescriptor use="{use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_b64}'
           f'</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>')
    body = (f'<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{key}'
            f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="https://idp.example.test/sso"/></md:IDPSSODescriptor>') if idp else ""
    pad = "<!-- " + "padding " * 130 + "-->"  # IAM requires at least 1000 characters
    return (f'<?xml version="1.0" encoding="UTF-8"?>{pad}<{root} xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}"{vu}>{body}</{root}>')


def test_saml_provider_lifecycle(iam):
    name = unique("saml")
    doc = saml_metadata()
    arn = iam.create_saml_provider(Name=name, SAMLMetadataDocument=doc, Tags=[{"Key": "k", "Value": "v"}])["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT_ID}:saml-provider/{name}"
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == doc and got["Tags"] == [{"Key": "k", "Value": "v"}]
    assert got["ValidUntil"].year >= NOW.year + 99 and got["SAMLProviderUUID"]
    listed = {p["Arn"]: p for p in iam.list_saml_providers()["SAMLProviderList"]}
    assert listed[arn]["ValidUntil"] == got["ValidUntil"]
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name=name, SAMLMetadataDocument=doc)
    assert code(e) == "EntityAlreadyExists"
    until = (NOW + datetime.timedelta(days=365)).replace(microsecond=0)
    iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=saml_metadata(valid_until=until.strftime("%Y-%m-%dT%H:%M:%SZ")))
    assert iam.get_saml_provider(SAMLProviderArn=arn)["ValidUntil"] == until
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "team", "Value": "sso"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["k"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "team", "Value": "sso"}]
    iam.delete_saml_provider(SAMLProviderArn=arn)
    with pytest.raises(ClientError) as e:
        iam.get_saml_provider(SAMLProviderArn=arn)
    assert code(e) == "NoSuchEntity"


@pytest.mark.parametrize("doc,reason", [
    ("<" + "x" * 1200, "well-formed"),
    (saml_metadata(root="md:EntitiesDescriptor"), "EntityDescriptor"),
    (saml_metadata(idp=False), "IDPSSODescriptor"),
    (saml_metadata(use="encryption"), "signing"),
    (saml_metadata(cert_b64="bm90IGEgY2VydGlmaWNhdGU="), "X509Certificate"),
    (saml_metadata(entity_id=""), "entityID"),
    (saml_metadata(valid_until="2001-01-01T00:00:00Z"), "expired"),
    ('<!DOCTYPE x [<!ENTITY a "aaaa">]>' + saml_metadata().split("?>", 1)[1], "DTD"),
], ids=["not-xml", "wrong-root", "no-idp", "no-signing-key", "bad-cert", "no-entity-id", "expired", "dtd"])
def test_saml_metadata_is_validated(iam, doc, reason):
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name=unique("bad"), SAMLMetadataDocument=doc)
    assert code(e) == "InvalidInput"
    assert reason in e.value.response["Error"]["Message"]


def test_saml_private_keys_and_encryption_mode(iam):
    name = unique("samlenc")
    arn = iam.create_saml_provider(Name=name, SAMLMetadataDocument=saml_metadata(), AssertionEncryptionMode="Required",
                                   AddPrivateKey=pem_private(rsa_key()))["SAMLProviderArn"]
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["AssertionEncryptionMode"] == "Required" and len(got["PrivateKeyList"]) == 1
    kid = got["PrivateKeyList"][0]["KeyId"]
    with pytest.raises(ClientError) as e:
        iam.update_saml_provider(SAMLProviderArn=arn, RemovePrivateKey=kid)
    assert code(e) == "InvalidInput"
    iam.update_saml_provider(SAMLProviderArn=arn, AssertionEncryptionMode="Allowed", RemovePrivateKey=kid)
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["AssertionEncryptionMode"] == "Allowed" and not got.get("PrivateKeyList")
    with pytest.raises(ClientError) as e:
        iam.create_saml_provider(Name=unique("samlreq"), SAMLMetadataDocument=saml_metadata(), AssertionEncryptionMode="Required")
    assert code(e) == "InvalidInput"


# ---------------------------------------------------------------- credential report and secrets at rest

HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
          "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
          "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
          "cert_2_last_rotated")


def test_credential_report_and_encryption_at_rest(fresh_dir):
    srv = Server(fresh_dir).start()
    secrets = []
    try:
        iam = client(srv, "iam")
        with pytest.raises(ClientError) as e:
            iam.get_credential_report()
        assert code(e) == "ReportNotPresent" and status(e) == 410
        iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=90)
        iam.create_user(UserName="alice")
        iam.create_login_profile(UserName="alice", Password="Alice-Password-123!")
        iam.create_user(UserName="bob")
        key = iam.create_access_key(UserName="bob")["AccessKey"]
        iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        client(srv, "iam", key["AccessKeyId"], key["SecretAccessKey"]).list_users()
        iam.upload_signing_certificate(UserName="bob", CertificateBody=cert_pem(make_cert()[1]))
        # Secrets that must never be stored in clear.
        skey, scert = make_cert(rsa_key())
        iam.upload_server_certificate(ServerCertificateName="web", CertificateBody=cert_pem(scert), PrivateKey=pem_private(skey))
        pw = iam.create_service_specific_credential(UserName="bob", ServiceName="codecommit.amazonaws.com")
        secrets += [pw["ServiceSpecificCredential"]["ServicePassword"], pem_private(skey).splitlines()[5]]

        first = iam.generate_credential_report()
        assert first["State"] == "STARTED"
        assert iam.generate_credential_report()["State"] == "COMPLETE"
        report = iam.get_credential_report()
        assert report["ReportFormat"] == "text/csv"
        text = report["Content"].decode()
        lines = text.splitlines()
        assert lines[0] == HEADER
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["user"] for r in rows] == ["<root_account>", "alice", "bob"]
        root = rows[0]
        assert root["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
        assert (root["password_enabled"], root["password_last_changed"], root["password_next_rotation"]) == ("not_supported",) * 3
        assert root["access_key_1_active"] == "true"  # the root key from WARDEN_ROOT_ACCESS_KEY_ID
        alice, bob = rows[1], rows[2]
        assert alice["password_enabled"] == "true" and alice["password_last_used"] == "no_information"
        assert alice["password_last_changed"].endswith("+00:00")
        changed = datetime.datetime.fromisoformat(alice["password_last_changed"])
        assert datetime.datetime.fromisoformat(alice["password_next_rotation"]) - changed == datetime.timedelta(days=90)
        assert alice["access_key_1_active"] == "false" and alice["access_key_1_last_rotated"] == "N/A"
        assert alice["cert_1_active"] == "false" and alice["cert_1_last_rotated"] == "N/A" and alice["mfa_active"] == "false"
        assert bob["password_enabled"] == "false" and bob["password_last_used"] == "N/A" and bob["password_next_rotation"] == "N/A"
        assert bob["access_key_1_active"] == "true"
        assert bob["access_key_1_last_used_service"] == "iam" and bob["access_key_1_last_used_region"] == "us-east-1"
        assert bob["access_key_2_active"] == "false" and bob["access_key_2_last_used_date"] == "N/A"
        assert bob["cert_1_active"] == "true" and bob["cert_1_last_rotated"].endswith("+00:00")
        assert all(len(r) == 22 for r in rows)
    finally:
        srv.stop()
    blobs = b"".join(open(os.path.join(fresh_dir, n), "rb").read() for n in os.listdir(fresh_dir) if n.startswith("warden.db"))
    for s in secrets:
        assert s.encode() not in blobs
    assert b"web" in blobs  # the certificate row is there


# ---------------------------------------------------------------- authorization

def test_operations_are_authorized_on_their_resources(server, iam):
    """Self-service SSH keys on the caller's own user ARN; provider listing needs Resource "*"."""
    own = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:UploadSSHPublicKey", "iam:ListSSHPublicKeys"],
         "Resource": f"arn:aws:iam::{ACCOUNT_ID}:user/${{aws:username}}"},
        {"Effect": "Allow", "Action": "iam:ListOpenIDConnectProviders", "Resource": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/*"}]}
    u, other = unique("self"), unique("other")
    iam.create_user(UserName=u)
    iam.create_user(UserName=other)
    iam.put_user_policy(UserName=u, PolicyName="own", PolicyDocument=json.dumps(own))
    k = iam.create_access_key(UserName=u)["AccessKey"]
    me = client(server, "iam", k["AccessKeyId"], k["SecretAccessKey"])
    me.upload_ssh_public_key(UserName=u, SSHPublicKeyBody=openssh(ed25519.Ed25519PrivateKey.generate()))
    assert len(me.list_ssh_public_keys()["SSHPublicKeys"]) == 1
    with pytest.raises(ClientError) as e:
        me.upload_ssh_public_key(UserName=other, SSHPublicKeyBody=openssh(ed25519.Ed25519PrivateKey.generate()))
    assert code(e) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        me.list_open_id_connect_providers()
    assert code(e) == "AccessDenied"
    iam.put_user_policy(UserName=u, PolicyName="list", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListOpenIDConnectProviders", "Resource": "*"}]}))
    me.list_open_id_connect_providers()
