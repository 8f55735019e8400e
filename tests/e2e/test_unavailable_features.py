"""Operations of features Warden does not have answer as AWS does for an account with the feature off."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, allow, client, code, make_user


def test_sts_operations_of_absent_features(server, sts):
    with pytest.raises(ClientError) as e:
        sts.get_web_identity_token(Audience=["https://example.com"], SigningAlgorithm="RS256")
    assert code(e) == "OutboundWebIdentityFederationDisabledException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as e:
        sts.get_delegated_access_token(TradeInToken="x" * 64)
    assert code(e) == "ExpiredTradeInTokenException"
    with pytest.raises(ClientError) as e:
        sts.assume_root(TargetPrincipal="210987654321",
                        TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"})
    assert code(e) == "AccessDenied"
    assert "not a member of an organization" in str(e.value)


def test_they_are_authorized_first(server, iam):
    name, key, secret = make_user(iam)
    with pytest.raises(ClientError) as e:
        client(server, "sts", key, secret).get_web_identity_token(Audience=["a"], SigningAlgorithm="ES384")
    assert code(e) == "AccessDenied"
    assert "sts:GetWebIdentityToken" in str(e.value)


def test_iam_operations_of_absent_features(server, iam):
    with pytest.raises(ClientError) as e:
        iam.list_organizations_features()
    assert code(e) == "OrganizationNotFoundException"
    with pytest.raises(ClientError) as e:
        iam.get_outbound_web_identity_federation_info()
    assert code(e) == "FeatureDisabled"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_security_token_service_preferences(server, iam):
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
