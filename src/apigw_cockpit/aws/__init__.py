"""The only code that talks to AWS: client factory, guard, meter, discovery, pollers, probes."""

from apigw_cockpit.aws.errors import AwsAccessError, ReadOnlyViolation
from apigw_cockpit.aws.feed import Feed, build_pollers, open_feed
from apigw_cockpit.aws.meter import CallMeter, MeterSnapshot
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings, Intervals
from apigw_cockpit.aws.sources.base import Poller

__all__ = [
    "AwsAccessError",
    "AwsSettings",
    "CallMeter",
    "ClientFactory",
    "Feed",
    "Intervals",
    "MeterSnapshot",
    "Poller",
    "ReadOnlyViolation",
    "build_pollers",
    "open_feed",
]
