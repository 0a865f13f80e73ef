//! Growth plan, check-ins, practice log and the manager's 1:1 agenda (issue 6, M4).

use crate::access::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
}
