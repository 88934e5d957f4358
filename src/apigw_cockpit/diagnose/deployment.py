"""Is the stage serving the API's current definition? (TestInvokeMethod runs the current one.)"""

from __future__ import annotations

from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.model import Change

# API Gateway control-plane changes that alter the definition TestInvokeMethod runs but the
# stage serves only after a CreateDeployment (CloudTrail eventName values).
_DEFINITION_EVENTS = frozenset(
    {
        "PutIntegration", "UpdateIntegration", "DeleteIntegration", "PutIntegrationResponse",
        "UpdateIntegrationResponse", "DeleteIntegrationResponse", "PutMethod", "UpdateMethod",
        "DeleteMethod", "PutMethodResponse", "UpdateMethodResponse", "DeleteMethodResponse",
        "CreateResource", "UpdateResource", "DeleteResource", "PutRestApi", "UpdateRestApi",
    }
)  # fmt: skip


def undeployed_changes(obs: Observations) -> list[Change]:
    """Definition changes to this API newer than the stage's deployment (so not live on it).

    TestInvokeMethod runs the API's *current* definition, not the deployed one: after such a
    change a passing test invoke says nothing about what the stage serves.
    """
    topo = obs.topology
    api_changes = [
        c for c in obs.changes if c.event_source == "apigateway.amazonaws.com" and topo.api_id in c.resources
    ]
    deployed = topo.stage.deployment_created
    deploys = [c.time for c in api_changes if c.event_name == "CreateDeployment"]
    if deploys:
        deployed = max(deployed, max(deploys))
    if not deployed:
        return []  # no deployment time known: cannot tell
    return [c for c in api_changes if c.event_name in _DEFINITION_EVENTS and c.time > deployed]
