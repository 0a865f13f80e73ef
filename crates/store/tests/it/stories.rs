//! What the application asks of its store, told as short stories.

use std::sync::Arc;

use pmcoach_core::context::{CareerLevel, CompanyStage, Degree, Purpose, Role, RoleContext};
use pmcoach_core::ids::Email;
use pmcoach_store::{NewUser, OrgRole, SessionRecord, Store, StoreError, now_millis};

use crate::story;

fn person(email: &str, name: &str) -> NewUser {
    NewUser { email: Email::parse(email).expect("email"), name: name.to_owned(), password_hash: "hash".to_owned() }
}

story!(first_run_creates_the_organisation_and_its_admin_once);
async fn first_run_creates_the_organisation_and_its_admin_once(store: Arc<dyn Store>) {
    assert!(!store.has_users().await.expect("has_users"));
    assert_eq!(store.first_organisation().await.expect("none yet"), None);
    let (org, admin) =
        store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    assert_eq!(org.name, "Northwind");
    assert_eq!(org.anonymity_threshold, 3, "anonymity defaults to 3 raters per group");
    assert_eq!(admin.role, OrgRole::Admin);
    assert!(store.has_users().await.expect("has_users"));
    assert_eq!(store.first_organisation().await.expect("first"), Some(org.clone()));
    let again = store.create_organisation("Other", &person("eve@other.test", "Eve")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

story!(people_have_unique_emails_roles_and_reporting_lines);
async fn people_have_unique_emails_roles_and_reporting_lines(store: Arc<dyn Store>) {
    let (org, admin) =
        store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let sam =
        store.create_user(org.id, &person("sam@northwind.test", "Sam"), OrgRole::Manager, None).await.expect("sam");
    let maya = store
        .create_user(org.id, &person("maya@northwind.test", "Maya"), OrgRole::Member, Some(sam.id))
        .await
        .expect("maya");
    assert_eq!(maya.manager_id, Some(sam.id));

    let duplicate = store.create_user(org.id, &person("MAYA@northwind.test", "Maya 2"), OrgRole::Member, None).await;
    match duplicate {
        Err(StoreError::Conflict(message)) => assert!(message.contains("e-mail"), "{message}"),
        other => panic!("expected a conflict, got {other:?}"),
    }

    assert_eq!(store.reports(sam.id).await.expect("reports").iter().map(|u| u.id).collect::<Vec<_>>(), [maya.id]);
    assert_eq!(store.members(org.id).await.expect("members").len(), 3);

    // A loop in reporting lines is refused: Sam cannot report to Maya.
    let cycle = store.set_manager(sam.id, Some(maya.id)).await;
    assert!(matches!(cycle, Err(StoreError::Conflict(_))), "{cycle:?}");
    let selfish = store.set_manager(sam.id, Some(sam.id)).await;
    assert!(matches!(selfish, Err(StoreError::Conflict(_))), "{selfish:?}");
    store.set_manager(maya.id, None).await.expect("clear manager");
    assert_eq!(store.user(maya.id).await.expect("maya").manager_id, None);

    // The last admin cannot be demoted.
    let demote = store.set_role(admin.id, OrgRole::Member).await;
    assert!(matches!(demote, Err(StoreError::Conflict(_))), "{demote:?}");
    store.set_role(sam.id, OrgRole::Admin).await.expect("second admin");
    store.set_role(admin.id, OrgRole::Member).await.expect("now the first can step down");

    let (found, hash) = store
        .user_with_password(&Email::parse("Sam@Northwind.test").expect("email"))
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!((found.id, hash.as_str()), (sam.id, "hash"));
    store.set_password(sam.id, "new-hash").await.expect("password");
    let (_, hash) = store.user_with_password(&sam.email).await.expect("lookup").expect("found");
    assert_eq!(hash, "new-hash");
    assert!(store.user_with_password(&Email::parse("nobody@x.test").expect("e")).await.expect("lookup").is_none());
    assert!(matches!(store.user(9_999_999).await, Err(StoreError::NotFound)));
}

story!(sessions_save_load_expire_and_delete);
async fn sessions_save_load_expire_and_delete(store: Arc<dyn Store>) {
    let now = now_millis();
    let live = SessionRecord {
        id: "abc".to_owned(),
        data: "{\"user\":1}".to_owned(),
        expires_at: now + 60_000,
        user_id: None,
    };
    store.session_create(&live).await.expect("create");
    assert!(matches!(store.session_create(&live).await, Err(StoreError::Conflict(_))), "ids are unique");
    assert_eq!(loaded(&store, "abc", now).await, Some(live.clone()));
    let updated = SessionRecord { data: "{\"user\":2}".to_owned(), ..live.clone() };
    store.session_save(&updated).await.expect("save");
    assert_eq!(loaded(&store, "abc", now).await, Some(updated));
    assert_eq!(loaded(&store, "abc", now + 120_000).await, None, "expired sessions don't load");

    let old = SessionRecord { id: "old".to_owned(), data: "{}".to_owned(), expires_at: now - 1, user_id: None };
    store.session_save(&old).await.expect("save old");
    assert_eq!(store.sessions_purge(now).await.expect("purge"), 1);
    store.session_delete("abc").await.expect("delete");
    assert_eq!(loaded(&store, "abc", now).await, None);
}

async fn loaded(store: &Arc<dyn Store>, id: &str, now: i64) -> Option<SessionRecord> {
    store.session_load(id, now).await.expect("load").map(|loaded| loaded.record)
}

story!(a_session_loads_with_its_person_unread_count_and_data_version);
async fn a_session_loads_with_its_person_unread_count_and_data_version(store: Arc<dyn Store>) {
    let (_, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let now = now_millis();
    let signed_in =
        SessionRecord { id: "s1".to_owned(), data: "{}".to_owned(), expires_at: now + 60_000, user_id: Some(ada.id) };
    store.session_create(&signed_in).await.expect("create");
    let first = store.session_load("s1", now).await.expect("load").expect("live");
    assert_eq!(first.record, signed_in);
    assert_eq!(first.user.as_ref().map(|u| (u.id, u.name.as_str())), Some((ada.id, "Ada")));
    assert_eq!(first.unread, 0);
    assert_eq!(first.data_version, store.data_version().await.expect("version"));

    // Sessions are not data: saving one leaves the version where it was.
    store
        .session_save(&SessionRecord { data: "{\"csrf\":\"x\"}".to_owned(), ..signed_in.clone() })
        .await
        .expect("save");
    assert_eq!(store.data_version().await.expect("version"), first.data_version);

    // Any write to the data moves it, and the session sees the change.
    let sam =
        store.create_user(ada.org_id, &person("sam@northwind.test", "Sam"), OrgRole::Member, None).await.expect("sam");
    let second = store.session_load("s1", now).await.expect("load").expect("live");
    assert!(second.data_version > first.data_version, "{} then {}", first.data_version, second.data_version);

    // A signed-out session and one whose person is gone load without a person.
    let anonymous =
        SessionRecord { id: "s2".to_owned(), data: "{}".to_owned(), expires_at: now + 60_000, user_id: None };
    store.session_create(&anonymous).await.expect("create");
    assert_eq!(store.session_load("s2", now).await.expect("load").expect("live").user, None);
    let gone = SessionRecord { id: "s3".to_owned(), user_id: Some(sam.id + 1_000), ..anonymous };
    store.session_create(&gone).await.expect("create");
    assert_eq!(store.session_load("s3", now).await.expect("load").expect("live").user, None);
}

story!(api_tokens_are_found_by_hash_until_revoked);
async fn api_tokens_are_found_by_hash_until_revoked(store: Arc<dyn Store>) {
    let (_, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let token = store.create_api_token(ada.id, "CI", "hash-1").await.expect("token");
    assert_eq!(token.last_used_at, None);
    let before = store.data_version().await.expect("version");
    assert_eq!(store.user_by_api_token("hash-1").await.expect("lookup").map(|u| u.id), Some(ada.id));
    let listed = store.api_tokens(ada.id).await.expect("list");
    let used = listed[0].last_used_at.expect("use is recorded");
    assert_eq!(store.user_by_api_token("hash-1").await.expect("lookup").map(|u| u.id), Some(ada.id));
    let listed = store.api_tokens(ada.id).await.expect("list");
    assert_eq!(listed[0].last_used_at, Some(used), "a use within the minute is not written again");
    assert_eq!(store.data_version().await.expect("version"), before, "a token's use is not a change of data");
    assert!(!store.revoke_api_token(ada.id + 1, token.id).await.expect("other user"), "only the owner revokes");
    assert!(store.revoke_api_token(ada.id, token.id).await.expect("revoke"));
    assert!(!store.revoke_api_token(ada.id, token.id).await.expect("again"), "revoking twice does nothing");
    assert_eq!(store.user_by_api_token("hash-1").await.expect("lookup"), None);
}

story!(an_invitation_is_used_once_and_expires);
async fn an_invitation_is_used_once_and_expires(store: Arc<dyn Store>) {
    let (org, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    let email = Email::parse("theo@northwind.test").expect("email");
    let now = now_millis();
    let invitation = store
        .create_invitation(org.id, &email, OrgRole::Member, Some(ada.id), "inv-hash", ada.id, now + 86_400_000)
        .await
        .expect("invite");
    assert_eq!(store.invitation_by_token("inv-hash").await.expect("find").map(|i| i.id), Some(invitation.id));
    let theo =
        store.accept_invitation(invitation.id, &person("theo@northwind.test", "Theo"), now).await.expect("accept");
    assert_eq!((theo.org_id, theo.role, theo.manager_id), (org.id, OrgRole::Member, Some(ada.id)));
    let again = store.accept_invitation(invitation.id, &person("theo2@northwind.test", "Theo"), now).await;
    assert!(matches!(again, Err(StoreError::Gone(_))), "{again:?}");

    let expired = store
        .create_invitation(
            org.id,
            &Email::parse("late@northwind.test").expect("e"),
            OrgRole::Member,
            None,
            "late",
            ada.id,
            now - 1,
        )
        .await
        .expect("invite");
    let late = store.accept_invitation(expired.id, &person("late@northwind.test", "Late"), now).await;
    assert!(matches!(late, Err(StoreError::Gone(_))), "{late:?}");
    assert!(
        store.user_with_password(&Email::parse("late@northwind.test").expect("e")).await.expect("q").is_none(),
        "nothing half-created"
    );
    assert_eq!(store.invitations(org.id).await.expect("list").len(), 2);
}

story!(role_contexts_keep_history_and_return_the_latest);
async fn role_contexts_keep_history_and_return_the_latest(store: Arc<dyn Store>) {
    let (_, ada) = store.create_organisation("Northwind", &person("ada@northwind.test", "Ada")).await.expect("setup");
    assert_eq!(store.role_context(ada.id).await.expect("none yet"), None);
    let first = RoleContext::new(Role::Pm, CareerLevel::Pm);
    store.save_role_context(ada.id, &first).await.expect("save");
    let second = RoleContext {
        stage: CompanyStage::Early,
        technicality: Degree::High,
        purpose: Purpose::Hiring,
        ..RoleContext::new(Role::Tpm, CareerLevel::Senior).with_industry("ai")
    };
    store.save_role_context(ada.id, &second).await.expect("save");
    assert_eq!(store.role_context(ada.id).await.expect("latest"), Some(second));
}
