//! The store's data types, as the adapters (the web and the CLI) see them: records a use case
//! returns, inputs it takes, filters and sort orders, and the store's error. Re-exported by name
//! so that the adapters need no dependency on anju-store; the [`anju_store::Store`] handle itself
//! is deliberately absent: an adapter reaches the database only through [`crate::App`].

pub use anju_store::PartyRecord;
pub use anju_store::{
    AccountStatement, Actor, AlertGroup, AlertOptions, ApplySummary, Assessment, AssessmentFilter,
    AuditEntry, BenchFundingSeeded, CollectionFigures, Company, Complaint, ComplaintFilter,
    ComplaintOverdue, ComplaintStage, CompoundFilter, CompoundSort, ContractRecord, CoverageCell,
    CoveragePoint, DEFAULT_EVIDENCE_DIR, Department, DismissalProposal, DispatchFiling,
    DispatchSchedule, ERQI_ORDER_MAPPING, EVIDENCE_MAX_BYTES, EvaluatorFee, Evidence, EvidenceDir,
    FeeInput, FeeMonth, FundingPolicy, Holiday, HouseholdFeeInput, IssuedToken, LedgerFigures,
    Lifecycle, LineFilter, NewAccountEntry, NewEvaluatorFee, NewSession, NewUser, OrderFilter,
    Patrol, PlaceCounts, RectificationOrder, Referral, ReferralFilter, ReferralStepRecord, Region,
    Selection, SessionUser, SignalScope, StageRow, StepCorrection, StoreError, StoredCompound,
    SubsidyAdjustment, SubsidyLine, SubsidyRun, SubsidyStep, Survey, SurveyAnswer, SurveyFilter,
    SurveyResult, SurveyRule, Task, TaskFilter, TokenSurvey, User, sniff_mime,
};
/// The programme's organisation (groups, meetings, 通报, 交办事项).
pub use anju_store::{
    Assignment, AssignmentStepRecord, Censure, Meeting, NewDecision, NewMember, OrgGroup,
    OrgMember, Unit,
};
/// Owners' votes and the register of households.
pub use anju_store::{
    BallotChoice, BallotRow, Household, RegisterSummary, TokenBallot, VoteOption, VoteRecord,
};
/// Renovation projects, 三承诺 and fee standards.
pub use anju_store::{
    CommitmentsWritten, FeeStandardRecord, HouseholdCommitment, RenovationDateChange,
    RenovationRecord,
};
/// The maintenance fund.
pub use anju_store::{FundAccount, FundEntry, FundUse};
/// Owners' bodies.
pub use anju_store::{NewBodyMember, OwnersBodyMember, OwnersBodyRecord};
