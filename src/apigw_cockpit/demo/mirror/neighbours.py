"""Seed moto with the account's neighbouring APIs and its custom domain (`demo/neighbours.toml`).

REST neighbours through apigateway (a MOCK `GET /` so a deployment is possible, as AWS requires),
HTTP neighbours through apigatewayv2 (re-keyed to the table's ids: moto invents 8-letter ones),
and one custom domain with base-path mappings (REST, apigateway) and API mappings (HTTP,
apigatewayv2) — in AWS one domain answers both APIs; moto keeps two stores, so both are written.
"""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.mirror.clients import Clients

_CERT = "arn:aws:acm:{region}:{account}:certificate/00000000-0000-4000-8000-00000000c0de"


def rekey_http_api(created: str, wanted: str, account: str, region: str) -> None:
    """moto's apigatewayv2 ids are random 8 letters; the table's ids are what AWS would show."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    backend = apigatewayv2_backends[account][region]
    api = backend.apis.pop(created)
    api.api_id = wanted
    api.api_endpoint = f"https://{wanted}.execute-api.{region}.amazonaws.com"
    api.arn = api.arn.replace(f"/apis/{created}", f"/apis/{wanted}")
    backend.apis[wanted] = api


def seed_neighbours(c: Clients, st: Any, hood: Any) -> None:
    region, account = st.api.region, st.api.account
    gw, v2 = c.apigateway, c.apigatewayv2
    for api in hood.apis:
        if api.type == "rest":
            api_id = gw.create_rest_api(
                name=api.name,
                tags={"_custom_id_": api.id},
                endpointConfiguration={"types": [api.endpoint_type]},
            )["id"]
            root = gw.get_resources(restApiId=api_id)["items"][0]["id"]
            gw.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
            gw.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
            first, *rest = api.stages
            dep = gw.create_deployment(restApiId=api_id, stageName=first.name)["id"]
            for stage in rest:
                gw.create_stage(restApiId=api_id, stageName=stage.name, deploymentId=dep)
        else:
            created = v2.create_api(Name=api.name, ProtocolType="HTTP")["ApiId"]
            rekey_http_api(created, api.id, account, region)
            for stage in api.stages:
                v2.create_stage(ApiId=api.id, StageName=stage.name, AutoDeploy=True)
    http_ids = {a.id for a in hood.apis if a.type == "http"} | ({st.api.id} if st.is_http else set())
    cert = _CERT.format(region=region, account=account)
    for domain in hood.domains:
        mappings = [
            (
                m.base_path,
                st.api.id if m.api == "@incident" else m.api,
                st.stage.name if m.stage == "@incident" else m.stage,
            )
            for m in domain.mappings
        ]
        gw.create_domain_name(
            domainName=domain.name, regionalCertificateArn=cert, endpointConfiguration={"types": ["REGIONAL"]}
        )
        v2.create_domain_name(
            DomainName=domain.name,
            DomainNameConfigurations=[{"CertificateArn": cert, "EndpointType": "REGIONAL"}],
        )
        for base_path, api_id, stage in mappings:
            if api_id in http_ids:
                v2.create_api_mapping(
                    DomainName=domain.name, ApiId=api_id, ApiMappingKey=base_path, Stage=stage
                )
            else:
                kwargs = {"basePath": base_path} if base_path else {}
                gw.create_base_path_mapping(domainName=domain.name, restApiId=api_id, stage=stage, **kwargs)
