"""SharedInformerFactory: one informer per slice, started and synced together."""

from __future__ import annotations

from engine.runtime.factory import SharedInformerFactory
from tests.runtime.conftest import Env, configmap


def test_informers_are_shared_per_resource_and_selector(env: Env) -> None:
    factory = SharedInformerFactory(env.client)
    cm = factory.informer_for("configmaps")
    assert factory.informer_for("cm") is cm
    assert factory.informer_for("ConfigMap") is cm
    assert factory.informer_for("configmaps", label_selector="app=web") is not cm
    assert factory.informer_for("configmaps", namespace="default") is not cm
    assert factory.informer_for("pods") is not cm
    assert len(factory.informers()) == 4


def test_start_and_wait_for_cache_sync(env: Env) -> None:
    env.api.create("configmaps", configmap("a", labels={"app": "web"}))
    factory = SharedInformerFactory(env.client)
    factory.informer_for("configmaps")
    factory.informer_for("configmaps", label_selector="app=web")

    async def scenario() -> None:
        factory.start()
        synced = await factory.wait_for_cache_sync()
        assert list(synced.values()) == [True, True]
        # An informer asked for after start needs another start().
        pods = factory.informer_for("pods")
        assert not pods.started
        factory.start()
        assert pods.started
        assert all((await factory.wait_for_cache_sync()).values())
        factory.stop()

    env.run(scenario())
    lister = factory.lister_for("configmaps", label_selector="app=web")
    assert [o["metadata"]["name"] for o in lister.list()] == ["a"]
    assert all(i.stopped for i in factory.informers())


def test_extra_indexers_merge_into_the_shared_informer(env: Env) -> None:
    factory = SharedInformerFactory(env.client)

    def by_data_key(obj: dict) -> list[str]:
        return sorted(obj.get("data") or {})

    informer = factory.informer_for("configmaps")
    factory.informer_for("configmaps", indexers={"dataKey": by_data_key})
    env.api.create("configmaps", configmap("a", x="1"))

    async def scenario() -> None:
        factory.start()
        await factory.wait_for_cache_sync()
        factory.stop()

    env.run(scenario())
    assert informer.lister().by_index("dataKey", "x")[0]["metadata"]["name"] == "a"
