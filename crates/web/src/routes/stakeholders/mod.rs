//! The stakeholder map, meetings and notes (issue 6, M6).

use crate::access::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
}
