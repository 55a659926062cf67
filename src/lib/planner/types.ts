import type { OpeningHours, Place, TripGenerationRequest } from '../contracts/trip-generation-request';

export type { Place, TripGenerationRequest };

export type LeftOutReason =
  'over_budget' | 'not_selected_low_score' | 'no_room_in_trip' | 'closed_on_day' | 'does_not_fit_day_window';

export interface LeftOut {
  placeId: string;
  name: string;
  reason: LeftOutReason;
  /** The day it was tried on, when the reason is about a day. */
  dayIndex?: number;
}

/** The places one day will try to visit, before routing. */
export interface DayAssignment {
  dayIndex: number;
  date: string;
  weekday: string;
  placeIds: string[];
}

export interface PlannedStop {
  placeId: string;
  name: string;
  category: string;
  lat: number;
  lng: number;
  arrival: string;
  departure: string;
  waitMinutes: number;
  travelMinutesFromPrevious: number;
  travelKmFromPrevious: number;
  estimatedCost: number;
}

export interface DayTotals {
  stops: number;
  visitMinutes: number;
  travelMinutes: number;
  travelKm: number;
  estimatedCost: number;
}

export interface DayPlan {
  dayIndex: number;
  date: string;
  weekday: string;
  stops: PlannedStop[];
  /** The leg back to the lodging, when one is given. */
  returnToLodging?: { travelMinutes: number; travelKm: number; arrival: string };
  totals: DayTotals;
  dropped: LeftOut[];
}

export interface TripSchedule {
  tripId: string;
  userId: string;
  destination: string;
  startDate: string;
  transport: TripGenerationRequest['transport'];
  pace: TripGenerationRequest['pace'];
  days: DayPlan[];
  totals: DayTotals & { days: number };
  leftOut: LeftOut[];
  /**
   * What the schedule was planned against that the stops alone do not show, so a later trip analysis
   * can judge it (budget use, stops near closing, must-visits without a place). Absent from schedules
   * cached before it was recorded.
   */
  constraints?: ScheduleConstraints;
}

export interface ScheduleConstraints {
  budgetPerDay?: number;
  mustVisit: string[];
  /** Opening hours of each scheduled stop that has them (a stop open all day is not listed). */
  openingHours: Record<string, OpeningHours>;
}
