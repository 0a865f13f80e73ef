//! In-app notifications (issue 6, reminders).

use crate::access::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
}
